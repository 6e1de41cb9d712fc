package org.fusionml.data.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exact nearest neighbour (or k nearest) of every fingerprint: min over j != i of the cosine
 * distance d(x_i, x_j) = 1 - F_i . F_j (FUSION Eq. 5) and that j; for unit-norm fingerprints the
 * Euclidean distance |F_i - F_j| = sqrt(2 - 2 F_i . F_j) has the same nearest neighbour and is
 * reported too.
 *
 * <p>The Gram matrix is never stored whole. Fingerprints are cut into tiles of {@value #TILE}; for
 * every pair of tiles I <= J (the Gram matrix is symmetric) the tile Gram block is the sum, over
 * the species pairs both tiles hold, of products of packed block matrices (4 x 2 register rank-1
 * updates that HotSpot vectorises: {@link GramKernel}); its rows update the best match of I's
 * members and its columns those of J's. Tile pairs are spread over threads, each keeping its own
 * best matches, merged at the end. Ties go to the smallest j.
 */
public final class NearestNeighbors {
    private static final int TILE = 768;
    private static final GramKernel KERNEL = GramKernel.preferred();

    private NearestNeighbors() {}

    /**
     * The result for n fingerprints.
     *
     * @param neighbor [n] index of the nearest other fingerprint (-1 when n = 1)
     * @param cosineDistance [n] 1 - F_i . F_neighbor
     * @param euclideanDistance [n] |F_i - F_neighbor|
     */
    public record Result(int[] neighbor, double[] cosineDistance, double[] euclideanDistance) {}

    /** Name of the inner kernel in use ({@code vector256} or {@code scalar}). */
    public static String kernel() {
        return KERNEL.name();
    }

    /** Finds every nearest neighbour with {@code threads} threads. */
    public static Result search(List<Fingerprint> fingerprints, int threads) {
        Best all = bestMatches(fingerprints, 1, threads);
        int n = fingerprints.size();
        double[] cos = new double[n];
        double[] euc = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = all.index[i] < 0 ? Double.NaN : 1 - all.dot[i];
            euc[i] = all.index[i] < 0 ? Double.NaN : Math.sqrt(Math.max(0, 2 - 2 * all.dot[i]));
        }
        return new Result(all.index, cos, euc);
    }

    /**
     * The k nearest other fingerprints of each one, nearest first (ties to the smaller index).
     *
     * @param k neighbours per fingerprint, 1 <= k < n
     * @return [n][k] indices
     */
    public static int[][] nearest(List<Fingerprint> fingerprints, int k, int threads) {
        int n = fingerprints.size();
        if (k < 1 || k >= n) {
            throw new IllegalArgumentException(
                    "k (" + k + ") must be in [1, " + (n - 1) + "] for " + n + " fingerprints");
        }
        Best all = bestMatches(fingerprints, k, threads);
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(all.index, i * k, (i + 1) * k);
        }
        return out;
    }

    /** The k best matches of every fingerprint, over every tile pair. */
    private static Best bestMatches(List<Fingerprint> fingerprints, int k, int threads) {
        int n = fingerprints.size();
        List<Tile> tiles = new ArrayList<>();
        for (int start = 0; start < n; start += TILE) {
            tiles.add(new Tile(fingerprints, start, Math.min(n, start + TILE)));
        }
        int t = tiles.size();
        int workers = Math.max(1, Math.min(threads, t * (t + 1) / 2));
        AtomicInteger next = new AtomicInteger();
        List<Best> results =
                Workers.run(
                        workers,
                        () -> {
                            Best best = new Best(n, k);
                            double[] gram = new double[TILE * TILE];
                            for (int unit = next.getAndIncrement();
                                    unit < t * (t + 1) / 2;
                                    unit = next.getAndIncrement()) {
                                int i =
                                        (int)
                                                ((Math.sqrt(8.0 * unit + 1) - 1)
                                                        / 2); // unit = i (i + 1) / 2 + j, j <= i
                                while (i * (i + 1) / 2 > unit) {
                                    i--;
                                }
                                while ((i + 1) * (i + 2) / 2 <= unit) {
                                    i++;
                                }
                                int j = unit - i * (i + 1) / 2;
                                block(tiles.get(j), tiles.get(i), gram, best);
                            }
                            return best;
                        },
                        "nearest-neighbour search");
        Best all = results.get(0);
        for (int r = 1; r < results.size(); r++) {
            Best other = results.get(r);
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < k; s++) {
                    all.offer(i, other.index[i * k + s], other.dot[i * k + s]);
                }
            }
        }
        return all;
    }

    /**
     * The k best matches so far of every fingerprint (largest dot, then smallest index), row i in
     * slots i k .. i k + k - 1, best first; empty slots hold index -1.
     */
    static final class Best {
        final int k;
        final int[] index;
        final double[] dot;

        Best(int n, int k) {
            this.k = k;
            index = new int[n * k];
            dot = new double[n * k];
            Arrays.fill(index, -1);
            Arrays.fill(dot, Double.NEGATIVE_INFINITY);
        }

        void offer(int i, int j, double d) {
            if (j < 0) {
                return;
            }
            int row = i * k;
            int last = row + k - 1;
            if (!better(d, j, dot[last], index[last])) {
                return;
            }
            int slot = last;
            while (slot > row && better(d, j, dot[slot - 1], index[slot - 1])) {
                dot[slot] = dot[slot - 1];
                index[slot] = index[slot - 1];
                slot--;
            }
            dot[slot] = d;
            index[slot] = j;
        }

        private static boolean better(double d, int j, double thanDot, int thanIndex) {
            return d > thanDot || (d == thanDot && (thanIndex < 0 || j < thanIndex));
        }
    }

    /** The fingerprints start..end, their blocks packed per species pair. */
    private static final class Tile {
        final int start;
        final int size;
        final int[] keys; // ascending pair keys present in the tile
        final int[] width;
        final int[][] rows; // [pair] local row indices
        final double[][] packed; // [pair] rows x width, row-major
        final double[][] transposed; // [pair] width x padded(rows), zero padding

        Tile(List<Fingerprint> fps, int start, int end) {
            this.start = start;
            this.size = end - start;
            Map<Integer, List<Integer>> members = new HashMap<>();
            Map<Integer, Integer> widths = new HashMap<>();
            for (int i = start; i < end; i++) {
                Fingerprint f = fps.get(i);
                for (int p = 0; p < f.pairKeys().length; p++) {
                    members.computeIfAbsent(f.pairKeys()[p], k -> new ArrayList<>()).add(i - start);
                    widths.put(f.pairKeys()[p], f.offsets()[p + 1] - f.offsets()[p]);
                }
            }
            keys = members.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
            width = new int[keys.length];
            rows = new int[keys.length][];
            packed = new double[keys.length][];
            transposed = new double[keys.length][];
            for (int p = 0; p < keys.length; p++) {
                width[p] = widths.get(keys[p]);
                rows[p] = members.get(keys[p]).stream().mapToInt(Integer::intValue).toArray();
                packed[p] = new double[rows[p].length * width[p]];
                for (int r = 0; r < rows[p].length; r++) {
                    Fingerprint f = fps.get(start + rows[p][r]);
                    int slot = Arrays.binarySearch(f.pairKeys(), keys[p]);
                    if (f.offsets()[slot + 1] - f.offsets()[slot] != width[p]) {
                        throw new IllegalArgumentException(
                                "fingerprints were made with different SOAP settings");
                    }
                    System.arraycopy(
                            f.values(), f.offsets()[slot], packed[p], r * width[p], width[p]);
                }
                int pad = GramKernel.padded(rows[p].length);
                transposed[p] = new double[width[p] * pad];
                for (int r = 0; r < rows[p].length; r++) {
                    for (int k = 0; k < width[p]; k++) {
                        transposed[p][k * pad + r] = packed[p][r * width[p] + k];
                    }
                }
            }
        }
    }

    /** Gram block of tiles a <= b; offers every pair's dot to both members. */
    private static void block(Tile a, Tile b, double[] gram, Best best) {
        Arrays.fill(gram, 0, a.size * TILE, 0);
        int p = 0;
        int q = 0;
        while (p < a.keys.length && q < b.keys.length) {
            if (a.keys[p] < b.keys[q]) {
                p++;
            } else if (a.keys[p] > b.keys[q]) {
                q++;
            } else {
                if (a.width[p] != b.width[q]) {
                    throw new IllegalArgumentException(
                            "fingerprints were made with different SOAP settings");
                }
                KERNEL.multiply(
                        a.packed[p], a.rows[p], b.transposed[q], b.rows[q], a.width[p], gram, TILE);
                p++;
                q++;
            }
        }
        boolean same = a == b;
        for (int i = 0; i < a.size; i++) {
            for (int j = same ? i + 1 : 0; j < b.size; j++) {
                double d = gram[i * TILE + j];
                best.offer(a.start + i, b.start + j, d);
                best.offer(b.start + j, a.start + i, d);
            }
        }
    }
}
