package org.fusionml.data.graph;

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
