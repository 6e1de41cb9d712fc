package org.fusionml.data.graph;

import java.util.Arrays;
import org.fusionml.data.structure.Structure;

/**
 * Builds the ALIGNN atom graph: the k nearest neighbours of every atom with whole tied shells,
 * symmetrised.
 *
 * <p>Rule (Choudhary and DeCost, npj Comput. Mater. 7, 185, 2021; the shell tolerance made
 * explicit): every atom is joined to its k nearest neighbours within the cutoff and to every
 * further neighbour with d <= d_k + tieTolerance. If any atom has fewer than k neighbours within
 * the cutoff, the cutoff of the whole structure grows, to max(a, b, c) when that is larger, else to
 * twice its value, until no atom has. Edges are then symmetrised (i -> j in image n implies j -> i
 * in image -n) and duplicates of the same (i, j, n) removed.
 */
public final class KnnGraphBuilder {
    private static final int MAX_ATOMS = 1 << 19;

    /**
     * Round-off allowance of the tie comparison, Angstrom. Distances carry errors of ~1e-14 A, and
     * lattice translations written with 6 decimals put real neighbours at exactly d_k + 1e-6.
     */
    static final double ROUND_OFF = 1e-12;

    private static final int MAX_IMAGE = 127;

    private final KnnGraphConfig config;

    public KnnGraphBuilder(KnnGraphConfig config) {
        this.config = config;
    }

    /** A builder with ALIGNN's defaults. */
    public static KnnGraphBuilder alignn() {
        return new KnnGraphBuilder(KnnGraphConfig.alignn());
    }

    public KnnGraphConfig config() {
        return config;
    }

    /** The directed k-nearest shells of every atom, after cutoff growth. */
    public NeighborShells shells(Structure structure) {
        int k = config.maxNeighbors();
        double cutoff = config.cutoff();
        NeighborList nl = NeighborSearch.find(structure, cutoff);
        while (nl.minCount() < k) {
            double longest = Arrays.stream(structure.lattice().lengths()).max().orElseThrow();
            cutoff = longest > cutoff ? longest : 2 * cutoff;
            nl = NeighborSearch.find(structure, cutoff);
        }
        int n = structure.size();
        int[] offsets = new int[n + 1];
        int[] picked = new int[Math.max(16, nl.size())];
        int count = 0;
        double[] scratch = new double[64];
        double[] dist = nl.distances();
        for (int i = 0; i < n; i++) {
            int from = nl.offsets()[i];
            int to = nl.offsets()[i + 1];
            int len = to - from;
            if (scratch.length < len) {
                scratch = new double[2 * len];
            }
            System.arraycopy(dist, from, scratch, 0, len);
            double limit = select(scratch, len, k - 1) + config.tieTolerance() + ROUND_OFF;
            int start = count;
            for (int e = from; e < to; e++) {
                if (dist[e] <= limit) {
                    picked[count++] = e;
                }
            }
            sortByDistance(picked, start, count, dist);
            offsets[i + 1] = count;
        }
        int[] neighbors = new int[count];
        int[] images = new int[3 * count];
        double[] distances = new double[count];
        for (int s = 0; s < count; s++) {
            int e = picked[s];
            neighbors[s] = nl.neighbors()[e];
            System.arraycopy(nl.images(), 3 * e, images, 3 * s, 3);
            distances[s] = dist[e];
        }
        return new NeighborShells(cutoff, offsets, neighbors, images, distances);
    }

    /** Builds the symmetrised k-nearest-neighbour graph of {@code structure}. */
    public CrystalGraph build(Structure structure) {
        return fromShells(structure, shells(structure));
    }

    /**
     * Symmetrises {@code shells} into a graph whose edges are sorted by (source, target, image).
     */
    public static CrystalGraph fromShells(Structure structure, NeighborShells shells) {
        int n = structure.size();
        if (n > MAX_ATOMS) {
            throw new IllegalArgumentException(
                    "structure has " + n + " atoms; graphs support at most " + MAX_ATOMS);
        }
        int s = shells.neighbors().length;
        long[] keys = new long[2 * s];
        int[] img = shells.images();
        for (int i = 0; i < n; i++) {
            for (int e = shells.offsets()[i]; e < shells.offsets()[i + 1]; e++) {
                int j = shells.neighbors()[e];
                keys[2 * e] = key(i, j, img[3 * e], img[3 * e + 1], img[3 * e + 2]);
                keys[2 * e + 1] = key(j, i, -img[3 * e], -img[3 * e + 1], -img[3 * e + 2]);
            }
        }
        Arrays.sort(keys);
        int unique = 0;
        for (int q = 0; q < keys.length; q++) {
            if (q == 0 || keys[q] != keys[q - 1]) {
                keys[unique++] = keys[q];
            }
        }
        return fromKeys(structure, keys, unique, shells.cutoffUsed());
    }

    private static CrystalGraph fromKeys(Structure structure, long[] keys, int e, double cutoff) {
        double[] m = NeighborSearch.flat(structure.lattice());
        double[] r = structure.cartesianFlat();
        int[] src = new int[e];
        int[] dst = new int[e];
        int[] images = new int[3 * e];
        double[] vectors = new double[3 * e];
        double[] distances = new double[e];
        for (int q = 0; q < e; q++) {
            long key = keys[q];
            int i = (int) (key >>> 44);
            int j = (int) ((key >>> 24) & 0xFFFFF);
            int a = (int) ((key >>> 16) & 0xFF) - 128;
            int b = (int) ((key >>> 8) & 0xFF) - 128;
            int c = (int) (key & 0xFF) - 128;
            src[q] = i;
            dst[q] = j;
            images[3 * q] = a;
            images[3 * q + 1] = b;
            images[3 * q + 2] = c;
            double sq = 0;
            for (int k = 0; k < 3; k++) {
                double v = r[3 * j + k] + a * m[k] + b * m[3 + k] + c * m[6 + k] - r[3 * i + k];
                vectors[3 * q + k] = v;
                sq += v * v;
            }
            distances[q] = Math.sqrt(sq);
        }
        return CrystalGraph.fromSortedEdges(
                structure.size(),
                structure.atomicNumbers(),
                src,
                dst,
                images,
                vectors,
                distances,
                cutoff);
    }

    private static long key(int i, int j, int a, int b, int c) {
        if (Math.abs(a) > MAX_IMAGE || Math.abs(b) > MAX_IMAGE || Math.abs(c) > MAX_IMAGE) {
            throw new IllegalArgumentException(
                    "periodic image (" + a + ", " + b + ", " + c + ") is beyond +-" + MAX_IMAGE);
        }
        return ((long) i << 44)
                | ((long) j << 24)
                | ((long) (a + 128) << 16)
                | ((long) (b + 128) << 8)
                | (c + 128);
    }

    /** Returns the {@code rank}-th smallest of {@code a[0..len)} (reorders the array). */
    static double select(double[] a, int len, int rank) {
        int lo = 0;
        int hi = len - 1;
        while (hi > lo) {
            double pivot = a[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (rank <= j) {
                hi = j;
            } else if (rank >= i) {
                lo = i;
            } else {
                return a[rank];
            }
        }
        return a[rank];
    }

    /** Insertion sort of {@code idx[from..to)} by {@code key[idx]} (shells are short). */
    private static void sortByDistance(int[] idx, int from, int to, double[] key) {
        for (int p = from + 1; p < to; p++) {
            int v = idx[p];
            double kv = key[v];
            int q = p - 1;
            while (q >= from && key[idx[q]] > kv) {
                idx[q + 1] = idx[q];
                q--;
            }
            idx[q + 1] = v;
        }
    }
}
