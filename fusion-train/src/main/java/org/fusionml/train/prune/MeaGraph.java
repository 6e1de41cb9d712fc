package org.fusionml.train.prune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.descriptor.SiteEnvironments;
import org.fusionml.models.meagraph.MeaGraphBlock;

/**
 * MEAGraph clustering and down-sampling of atomic environments (arXiv 2509.12358).
 *
 * <ol>
 *   <li>Nodes are environment vectors x (species-agnostic SOAP, one per symmetry class of a
 *       structure), each column scaled to unit L2 norm over the nodes.
 *   <li>Edges i - j (both directions) where the similarity s_ij = exp(-|x_i - x_j|), min-max
 *       normalised over all pairs i != j, lies in [band_low, band_high].
 *   <li>The {@link MeaGraphBlock} autoencoder is trained full-batch on the mean squared
 *       reconstruction error (Adam, fixed learning rate, seeded initialisation).
 *   <li>Clusters are the connected components of the edges its encoder keeps; isolated nodes are
 *       singletons.
 * </ol>
 *
 * <p>Down-sampling rule (the paper leaves it open): cluster c of n_c environments gets a quota that
 * grows as sqrt(n_c). Concretely its environments, in a seeded random order, are released at times
 * 1 / sqrt(n_c), 2 / sqrt(n_c), ..., so that by any time T cluster c has released min(n_c, floor(T
 * sqrt(n_c))) of them; ties go to the lower cluster number. Walking the releases in time order, a
 * structure is kept when the first of its environments is released, until the target number of
 * structures is kept. Over-represented clusters thus give up the most, singletons (outlying
 * environments) are kept first, and a smaller selection is a prefix of a larger one.
 */
public final class MeaGraph {
    private MeaGraph() {}

    /**
     * @param kernels attention kernels per layer (3)
     * @param hidden encoder widths ([64, 16])
     * @param bandLow lower end of the similarity band (0.9)
     * @param bandHigh upper end of the similarity band (1.0)
     * @param epochs full-batch training steps (100)
     * @param learningRate Adam learning rate (0.001)
     * @param maxEdges refuse band graphs with more directed edges than this (5,000,000)
     */
    public record Settings(
            int kernels,
            List<Integer> hidden,
            double bandLow,
            double bandHigh,
            int epochs,
            double learningRate,
            long maxEdges) {
        public Settings {
            hidden = List.copyOf(hidden);
            if (!(bandLow >= 0 && bandLow <= bandHigh && bandHigh <= 1)) {
                throw new IllegalArgumentException(
                        "meagraph.band must satisfy 0 <= low <= high <= 1, got ["
                                + bandLow
                                + ", "
                                + bandHigh
                                + "]");
            }
            Ranges.atLeast("meagraph.kernels", kernels, 1);
            Ranges.atLeast("meagraph.epochs", epochs, 1);
            Ranges.positive("meagraph.learning_rate", learningRate, "");
            if (maxEdges < 1) {
                throw new IllegalArgumentException(
                        "meagraph.max_edges (" + maxEdges + ") must be >= 1");
            }
            if (hidden.isEmpty()) {
                throw new IllegalArgumentException("meagraph.hidden must list at least one width");
            }
            for (int h : hidden) {
                Ranges.atLeast("meagraph.hidden", h, 1);
            }
        }

        public static Settings defaults() {
            return new Settings(3, List.of(64, 16), 0.9, 1.0, 100, 1e-3, 5_000_000);
        }
    }

    /**
     * A clustering of the nodes.
     *
     * @param labels [N] cluster of each node, numbered in order of each cluster's first node
     * @param clusters number of clusters
     * @param bandEdges directed edges of the similarity-band graph
     * @param keptEdges directed edges the encoder kept
     * @param loss final reconstruction error (mean squared, on the normalised vectors)
     */
    public record Clustering(
            int[] labels, int clusters, int bandEdges, int keptEdges, double loss) {
        /** Nodes per cluster. */
        public int[] sizes() {
            int[] n = new int[clusters];
            for (int l : labels) {
                n[l]++;
            }
            return n;
        }
    }

    /** Clusters the rows of {@code vectors} [N][F] (not modified). */
    public static Clustering cluster(double[][] vectors, Settings settings, long seed) {
        int n = vectors.length;
        double[][] x = columnNormalised(vectors);
        int[][] band = bandEdges(x, settings.bandLow(), settings.bandHigh(), settings.maxEdges());
        if (band[0].length == 0) {
            // Nothing to attend over: every node is its own cluster.
            return new Clustering(components(n, band[0], band[1]), n, 0, 0, Double.NaN);
        }
        MeaGraphTraining.KeptEdges kept = MeaGraphTraining.train(x, band, settings, seed);
        int[] labels = components(n, kept.src(), kept.dst());
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        return new Clustering(labels, clusters, band[0].length, kept.src().length, kept.loss());
    }

    /** Each column divided by its L2 norm over the rows (zero columns stay zero). */
    static double[][] columnNormalised(double[][] x) {
        if (x.length == 0) {
            return new double[0][];
        }
        int f = x[0].length;
        double[] norm = new double[f];
        for (double[] row : x) {
            if (row.length != f) {
                throw new IllegalArgumentException(
                        "environment vectors of different lengths: " + row.length + " and " + f);
            }
            for (int j = 0; j < f; j++) {
                norm[j] += row[j] * row[j];
            }
        }
        double[][] out = new double[x.length][f];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < f; j++) {
                out[i][j] = norm[j] > 0 ? x[i][j] / Math.sqrt(norm[j]) : 0;
            }
        }
        return out;
    }

    /**
     * The similarity-band graph: pairs i != j whose min-max normalised exp(-|x_i - x_j|) lies in
     * [low, high], as directed edges in both directions, ordered by (dst, src).
     *
     * @return {src, dst}
     */
    static int[][] bandEdges(double[][] x, double low, double high, long maxEdges) {
        int n = x.length;
        double dMin = Double.POSITIVE_INFINITY;
        double dMax = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = distance(x[i], x[j]);
                dMin = Math.min(dMin, d);
                dMax = Math.max(dMax, d);
            }
        }
        // Second pass: each unordered pair once (the distance is symmetric to the bit), both
        // directions recorded under their destination, so that sources come out ascending per node.
        List<List<Integer>> sources = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sources.add(new ArrayList<>());
        }
        long edges = 0;
        if (n >= 2) {
            double sMin = Math.exp(-dMax);
            double range = Math.exp(-dMin) - sMin;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double s = range > 0 ? (Math.exp(-distance(x[i], x[j])) - sMin) / range : 1.0;
                    if (s >= low && s <= high) {
                        sources.get(j).add(i);
                        sources.get(i).add(j);
                        edges += 2;
                        if (edges > maxEdges) {
                            throw new IllegalArgumentException(
                                    "meagraph: the similarity band ["
                                            + low
                                            + ", "
                                            + high
                                            + "] gives more than "
                                            + maxEdges
                                            + " edges over "
                                            + n
                                            + " environments; narrow meagraph.band or raise"
                                            + " meagraph.max_edges");
                        }
                    }
                }
            }
        }
        int[] src = new int[(int) edges];
        int[] dst = new int[(int) edges];
        int e = 0;
        for (int i = 0; i < n; i++) {
            for (int j : sources.get(i)) {
                src[e] = j;
                dst[e++] = i;
            }
        }
        return new int[][] {src, dst};
    }

    private static double distance(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            double d = a[k] - b[k];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** Connected components of the undirected graph, numbered in order of their smallest node. */
    static int[] components(int n, int[] src, int[] dst) {
        int[] parent = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
        }
        for (int e = 0; e < src.length; e++) {
            int a = root(parent, src[e]);
            int b = root(parent, dst[e]);
            if (a != b) {
                parent[Math.max(a, b)] = Math.min(a, b);
            }
        }
        int[] label = new int[n];
        int[] labelOfRoot = new int[n];
        Arrays.fill(labelOfRoot, -1);
        int next = 0;
        for (int i = 0; i < n; i++) {
            int r = root(parent, i);
            if (labelOfRoot[r] < 0) {
                labelOfRoot[r] = next++;
            }
            label[i] = labelOfRoot[r];
        }
        return label;
    }

    private static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /**
     * Structures in the order MEAGraph keeps them: clusters the environments of all structures
     * together, then applies the down-sampling rule of the class comment.
     *
     * @param structures [n] the environments of each structure
     * @param seed autoencoder initialisation and the order within clusters
     * @return [n] structure positions, first kept first
     */
    public static int[] keepOrder(List<SiteEnvironments> structures, Settings settings, long seed) {
        List<double[]> nodes = new ArrayList<>();
        List<Integer> owner = new ArrayList<>();
        for (int s = 0; s < structures.size(); s++) {
            for (double[] spectrum : structures.get(s).spectra()) {
                nodes.add(spectrum);
                owner.add(s);
            }
        }
        Clustering c = cluster(nodes.toArray(new double[0][]), settings, seed);
        return keepOrder(
                c.labels(),
                owner.stream().mapToInt(Integer::intValue).toArray(),
                structures.size(),
                seed);
    }

    /**
     * Structures in the order the down-sampling rule keeps them (see the class comment).
     *
     * @param labels [N] cluster of each environment
     * @param owner [N] structure (0..structures-1) of each environment
     * @param structures number of structures; each must own at least one environment
     * @param seed order of the environments within each cluster
     * @return [structures] structure positions, first kept first
     */
    static int[] keepOrder(int[] labels, int[] owner, int structures, long seed) {
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        List<List<Integer>> members = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            members.add(new ArrayList<>());
        }
        for (int node :
                Splits.permutation(labels.length, PruningStrategy.salted(seed, "meagraph"))) {
            members.get(labels[node]).add(node);
        }
        record Release(double time, int cluster, int node) {}
        List<Release> releases = new ArrayList<>();
        for (int c = 0; c < clusters; c++) {
            double rate = Math.sqrt(members.get(c).size());
            for (int k = 0; k < members.get(c).size(); k++) {
                releases.add(new Release((k + 1) / rate, c, members.get(c).get(k)));
            }
        }
        releases.sort(Comparator.comparingDouble(Release::time).thenComparingInt(Release::cluster));
        boolean[] kept = new boolean[structures];
        int[] order = new int[structures];
        int count = 0;
        for (Release r : releases) {
            int s = owner[r.node()];
            if (!kept[s]) {
                kept[s] = true;
                order[count++] = s;
            }
        }
        if (count != structures) {
            throw new IllegalArgumentException(
                    (structures - count) + " structures own no environment");
        }
        return order;
    }
}
