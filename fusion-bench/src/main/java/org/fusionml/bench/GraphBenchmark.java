package org.fusionml.bench;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.graph.CrystalGraph;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.LineGraph;

/**
 * Load time of a dataset and single-thread throughput of neighbour search + ALIGNN k-NN graph +
 * line graph over all its structures.
 */
public final class GraphBenchmark {
    private GraphBenchmark() {}

    /**
     * Measures {@code file} (the embedded jdft2d when null) and prints a {@code bench load} and a
     * {@code bench graph} line.
     *
     * @param seconds minimum timed duration of the graph figure, after one warm-up pass
     */
    public static void run(Path file, double seconds, PrintWriter out) {
        long t0 = System.nanoTime();
        CrystalDataset data =
                file == null ? DatasetLoader.embeddedDefault() : DatasetLoader.load(file, null);
        double load = (System.nanoTime() - t0) * 1e-9;
        String name = file == null ? "jdft2d_embedded" : data.provenance().task();
        out.printf(
                Locale.ROOT,
                "bench load dataset=%s entries=%d seconds=%.3f entries_per_s=%.0f%n",
                name,
                data.size(),
                load,
                data.size() / load);

        List<DatasetEntry> entries = data.entries();
        KnnGraphBuilder builder = KnnGraphBuilder.alignn();
        long[] totals = pass(entries, builder); // warm-up, and the dataset totals
        int passes = 0;
        long start = System.nanoTime();
        long elapsed;
        do {
            pass(entries, builder);
            passes++;
            elapsed = System.nanoTime() - start;
        } while (elapsed < seconds * 1e9);
        double perS = (double) passes * entries.size() / (elapsed * 1e-9);
        out.printf(
                Locale.ROOT,
                "bench graph dataset=%s structures=%d atoms=%d edges=%d triplets=%d threads=1"
                        + " passes=%d structures_per_s=%.0f%n",
                name,
                entries.size(),
                totals[0],
                totals[1],
                totals[2],
                passes,
                perS);
        out.flush();
    }

    private static long[] pass(List<DatasetEntry> entries, KnnGraphBuilder builder) {
        long atoms = 0;
        long edges = 0;
        long triplets = 0;
        for (DatasetEntry e : entries) {
            CrystalGraph g = builder.build(e.structure());
            LineGraph lg = g.lineGraph();
            atoms += g.numAtoms();
            edges += g.numEdges();
            triplets += lg.numTriplets();
        }
        return new long[] {atoms, edges, triplets};
    }
}
