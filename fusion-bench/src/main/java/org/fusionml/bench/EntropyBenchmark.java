package org.fusionml.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;

/**
 * QUESTS descriptors per second and the kernel entropy H(X) of a large set of environments (default
 * 10^5): the environments of the given datasets (jdft2d, and the perovskites subset when given),
 * repeated in order up to the requested count, so that the figure is for real environments; repeats
 * make every pair within the bandwidth cost an exponential.
 */
public final class EntropyBenchmark {
    private EntropyBenchmark() {}

    public static void run(List<Path> datasets, int environments, int threads, PrintWriter out) {
        Quests q = Quests.defaults();
        List<double[]> pool = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<CrystalDataset> sets = new ArrayList<>();
        sets.add(DatasetLoader.embeddedDefault());
        for (Path p : datasets) {
            sets.add(DatasetLoader.load(p, null));
        }
        for (CrystalDataset d : sets) {
            long t0 = System.nanoTime();
            List<double[][]> envs =
                    IntStream.range(0, d.size())
                            .parallel()
                            .mapToObj(i -> q.compute(d.get(i).structure()))
                            .toList();
            double s = (System.nanoTime() - t0) * 1e-9;
            int atoms = envs.stream().mapToInt(e -> e.length).sum();
            out.printf(
                    Locale.ROOT,
                    "bench quests_descriptors dataset=%s structures=%d environments=%d k=32"
                            + " cutoff=5 threads=%d seconds=%.3f environments_per_s=%.0f%n",
                    d.provenance().task(),
                    d.size(),
                    atoms,
                    Runtime.getRuntime().availableProcessors(),
                    s,
                    atoms / s);
            envs.forEach(e -> pool.addAll(List.of(e)));
            names.add(d.provenance().task());
        }
        double[][] x = new double[environments][];
        for (int i = 0; i < environments; i++) {
            x[i] = pool.get(i % pool.size());
        }
        KernelEntropy k = new KernelEntropy(0.015, threads);
        k.entropy(Arrays.copyOf(x, Math.min(5000, x.length))); // warm-up (JIT)
        long t0 = System.nanoTime();
        double h = k.entropy(x);
        double s = (System.nanoTime() - t0) * 1e-9;
        out.printf(
                Locale.ROOT,
                "bench entropy environments=%d unique_sources=%d datasets=%s bandwidth=0.015"
                        + " threads=%d seconds=%.2f pairs_per_s=%.3e entropy_nats=%.6f%n",
                environments,
                pool.size(),
                String.join("+", names),
                threads,
                s,
                (double) environments * environments / s,
                h);
        out.flush();
    }
}
