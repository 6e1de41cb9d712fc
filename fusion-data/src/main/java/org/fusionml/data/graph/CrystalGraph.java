package org.fusionml.data.graph;

import org.fusionml.data.structure.Structure;

/**
 * A directed periodic atom graph.
 *
 * <p>Edge {@code e} goes from atom {@code src[e]} to atom {@code dst[e]} in periodic image {@code
 * images[3e..3e+2]}; its bond vector {@code vectors[3e..3e+2] = r_dst + n M - r_src} points from
 * source to destination (Angstrom). Edges are sorted by source atom, so the out-edges of atom
 * {@code i} are {@code outOffsets[i] <= e < outOffsets[i + 1]}. Graphs built here are symmetric:
 * every edge i -> j (image n) has its reverse j -> i (image -n).
 *
 * @param numAtoms N
 * @param atomicNumbers [N]
 * @param src [E]
 * @param dst [E]
 * @param images [E, 3] flattened, integer lattice translations
 * @param vectors [E, 3] flattened, Angstrom
 * @param distances [E], Angstrom
 * @param outOffsets [N + 1], CSR offsets of the out-edges of each atom
 * @param cutoff the cutoff the graph was built with (after any growth), Angstrom
 */
public record CrystalGraph(
        int numAtoms,
        int[] atomicNumbers,
        int[] src,
        int[] dst,
        int[] images,
        double[] vectors,
        double[] distances,
        int[] outOffsets,
        double cutoff) {

    /** Number of directed edges E. */
    public int numEdges() {
        return src.length;
    }

    /** The line graph of this graph (bond pairs sharing an atom, with the angle cosines). */
    public LineGraph lineGraph() {
        return LineGraph.of(this);
    }

    /**
     * This graph with self-connecting edges: after the out-edges of every atom i come i -> i at
     * translation +n and at -n for each n of {@code translations}, in that order (2 L loops per
     * atom; a loop that repeats an edge already present is added all the same). The graph stays
     * symmetric and sorted by source atom; the cutoff is unchanged (loops may be longer).
     *
     * @param structure the structure this graph was built from (its lattice gives the loops'
     *     vectors)
     * @param translations [L][3] integer translations in the cell's lattice vectors, none zero
     */
    public CrystalGraph withLoops(Structure structure, int[][] translations) {
        if (structure.size() != numAtoms) {
            throw new IllegalArgumentException(
                    "structure has " + structure.size() + " atoms, graph " + numAtoms);
        }
        int loops = 2 * translations.length;
        double[][] m = structure.lattice().matrix();
        double[] loopVectors = new double[3 * loops];
        double[] loopLengths = new double[loops];
        int[] loopImages = new int[3 * loops];
        for (int l = 0; l < translations.length; l++) {
            int[] n = translations[l];
            if (n[0] == 0 && n[1] == 0 && n[2] == 0) {
                throw new IllegalArgumentException("a loop needs a non-zero translation");
            }
            double sq = 0;
            for (int k = 0; k < 3; k++) {
                double v = n[0] * m[0][k] + n[1] * m[1][k] + n[2] * m[2][k];
                loopVectors[6 * l + k] = v;
                loopVectors[6 * l + 3 + k] = -v;
                loopImages[6 * l + k] = n[k];
                loopImages[6 * l + 3 + k] = -n[k];
                sq += v * v;
            }
            loopLengths[2 * l] = Math.sqrt(sq);
            loopLengths[2 * l + 1] = Math.sqrt(sq);
        }
        int e = numEdges() + numAtoms * loops;
        int[] s = new int[e];
        int[] d = new int[e];
        int[] img = new int[3 * e];
        double[] vec = new double[3 * e];
        double[] dist = new double[e];
        int q = 0;
        for (int i = 0; i < numAtoms; i++) {
            for (int old = outOffsets[i]; old < outOffsets[i + 1]; old++, q++) {
                s[q] = src[old];
                d[q] = dst[old];
                System.arraycopy(images, 3 * old, img, 3 * q, 3);
                System.arraycopy(vectors, 3 * old, vec, 3 * q, 3);
                dist[q] = distances[old];
            }
            for (int l = 0; l < loops; l++, q++) {
                s[q] = i;
                d[q] = i;
                System.arraycopy(loopImages, 3 * l, img, 3 * q, 3);
                System.arraycopy(loopVectors, 3 * l, vec, 3 * q, 3);
                dist[q] = loopLengths[l];
            }
        }
        return fromSortedEdges(numAtoms, atomicNumbers, s, d, img, vec, dist, cutoff);
    }

    /** Builds a graph from directed edges already sorted by source atom. */
    static CrystalGraph fromSortedEdges(
            int numAtoms,
            int[] atomicNumbers,
            int[] src,
            int[] dst,
            int[] images,
            double[] vectors,
            double[] distances,
            double cutoff) {
        int[] offsets = new int[numAtoms + 1];
        for (int e = 0; e < src.length; e++) {
            if (e > 0 && src[e] < src[e - 1]) {
                throw new IllegalStateException("edges are not sorted by source atom");
            }
            offsets[src[e] + 1]++;
        }
        for (int i = 0; i < numAtoms; i++) {
            offsets[i + 1] += offsets[i];
        }
        return new CrystalGraph(
                numAtoms, atomicNumbers, src, dst, images, vectors, distances, offsets, cutoff);
    }
}
