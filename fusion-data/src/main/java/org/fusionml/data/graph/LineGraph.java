package org.fusionml.data.graph;

/**
 * The line graph of a {@link CrystalGraph}: one node per bond, one edge (a triplet) per pair of
 * bonds a -> b, b -> c that meet at atom b, backtracking pairs (c = a, reverse image) included, as
 * DGL's {@code line_graph(backtracking=True)} used by ALIGNN.
 *
 * <p>The bond-angle cosine of triplet t is {@code cos = (-r_ab . r_bc) / (|r_ab| |r_bc|)}: the
 * cosine of the angle at b between the bonds to a and to c. Triplets are ordered by incoming bond.
 *
 * @param edgeIn [T], index of bond a -> b in the atom graph
 * @param edgeOut [T], index of bond b -> c
 * @param cosines [T], in [-1, 1]
 */
public record LineGraph(int[] edgeIn, int[] edgeOut, double[] cosines) {

    /** Number of triplets T. */
    public int numTriplets() {
        return edgeIn.length;
    }

    /** Builds the line graph of {@code g}. */
    public static LineGraph of(CrystalGraph g) {
        int[] out = g.outOffsets();
        int[] dst = g.dst();
        long count = 0;
        for (int e = 0; e < g.numEdges(); e++) {
            count += out[dst[e] + 1] - out[dst[e]];
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("line graph has " + count + " triplets, too many");
        }
        int t = (int) count;
        int[] in = new int[t];
        int[] next = new int[t];
        double[] cos = new double[t];
        double[] v = g.vectors();
        double[] d = g.distances();
        int k = 0;
        for (int e = 0; e < g.numEdges(); e++) {
            double x = v[3 * e];
            double y = v[3 * e + 1];
            double z = v[3 * e + 2];
            int b = dst[e];
            for (int f = out[b]; f < out[b + 1]; f++) {
                double dot = x * v[3 * f] + y * v[3 * f + 1] + z * v[3 * f + 2];
                double c = -dot / (d[e] * d[f]);
                in[k] = e;
                next[k] = f;
                cos[k] = c > 1 ? 1 : (c < -1 ? -1 : c);
                k++;
            }
        }
        return new LineGraph(in, next, cos);
    }
}
