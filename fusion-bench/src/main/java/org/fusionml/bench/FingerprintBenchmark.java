package org.fusionml.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.symmetry.SpaceGroupFinder;

/**
 * Symmetry structures/s and fingerprint (SOAP at FUSION settings, one spectrum per symmetry class)
 * structures/s on one thread over the embedded jdft2d; nearest-neighbour search time over the
 * fingerprints of a larger dataset (the perovskites subset when given).
 */
public final class FingerprintBenchmark {
    private FingerprintBenchmark() {}

    public static void run(Path nnDataset, double seconds, int threads, PrintWriter out) {
        CrystalDataset jdft2d = DatasetLoader.embeddedDefault();
        List<DatasetEntry> entries = jdft2d.entries();
        int atoms = entries.stream().mapToInt(e -> e.structure().size()).sum();

        SpaceGroupFinder finder = new SpaceGroupFinder();
        double symPerS =
                rate(
                        entries.size(),
                        seconds,
                        () -> entries.forEach(e -> finder.find(e.structure())));
        out.printf(
                Locale.ROOT,
                "bench symmetry dataset=jdft2d structures=%d symprec=0.01 threads=1"
                        + " structures_per_s=%.0f%n",
                entries.size(),
                symPerS);

        FingerprintBuilder builder = FingerprintBuilder.fusionDefault();
        double fpPerS =
                rate(
                        entries.size(),
                        seconds,
                        () -> entries.forEach(e -> builder.build(e.structure())));
        printSoap(out, entries.size(), atoms, true, fpPerS);
        double plainPerS =
                rate(
                        entries.size(),
                        seconds,
                        () -> entries.forEach(e -> builder.buildWithoutSymmetry(e.structure())));
        printSoap(out, entries.size(), atoms, false, plainPerS);

        CrystalDataset nnData = nnDataset == null ? jdft2d : DatasetLoader.load(nnDataset, null);
        measureNearestNeighbors(nnData, builder, threads, out);
    }

    /**
     * A {@code bench soap} line: fingerprints of {@code structures} structures with {@code atoms}
     * atoms in all at {@code structuresPerSecond}, with or without the symmetry shortcut.
     */
    private static void printSoap(
            PrintWriter out,
            int structures,
            int atoms,
            boolean symmetryShortcut,
            double structuresPerSecond) {
        out.printf(
                Locale.ROOT,
                "bench soap dataset=jdft2d structures=%d atoms=%d r_cut=5 n_max=8 l_max=6 sigma=0.5"
                        + " symmetry_shortcut=%s threads=1 structures_per_s=%.0f"
                        + " atoms_per_s=%.0f%n",
                structures,
                atoms,
                symmetryShortcut,
                structuresPerSecond,
                structuresPerSecond * atoms / structures);
    }

    /**
     * The {@code bench nearest_neighbors} line: the time to fingerprint {@code data} (all threads)
     * and the median of three nearest-neighbour searches over those fingerprints after a warm-up.
     */
    private static void measureNearestNeighbors(
            CrystalDataset data, FingerprintBuilder builder, int threads, PrintWriter out) {
        long t0 = System.nanoTime();
        List<Fingerprint> fps =
                new ArrayList<>(
                        IntStream.range(0, data.size())
                                .parallel()
                                .mapToObj(i -> builder.build(data.get(i).structure()))
                                .toList());
        double fpSeconds = (System.nanoTime() - t0) * 1e-9;
        NearestNeighbors.search(fps, threads); // warm-up (JIT)
        double[] runs = new double[3];
        for (int r = 0; r < runs.length; r++) {
            long t1 = System.nanoTime();
            NearestNeighbors.search(fps, threads);
            runs[r] = (System.nanoTime() - t1) * 1e-9;
        }
        Arrays.sort(runs);
        double nnSeconds = runs[1]; // median of 3
        long bytes = fps.stream().mapToLong(Fingerprint::bytes).sum();
        out.printf(
                Locale.ROOT,
                "bench nearest_neighbors dataset=%s fingerprints=%d threads=%d kernel=%s"
                        + " fingerprint_s=%.2f search_s_median3=%.3f bytes_per_fingerprint=%d%n",
                data.provenance().task(),
                fps.size(),
                threads,
                NearestNeighbors.kernel(),
                fpSeconds,
                nnSeconds,
                bytes / fps.size());
        out.flush();
    }

    private static double rate(int items, double seconds, Runnable pass) {
        pass.run();
        int passes = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            pass.run();
            passes++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9);
        return (double) passes * items / (elapsed * 1e-9);
    }
}
