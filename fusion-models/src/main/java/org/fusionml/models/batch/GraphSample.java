package org.fusionml.models.batch;

import org.fusionml.data.graph.CrystalGraph;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.KnnGraphConfig;
import org.fusionml.data.graph.LineGraph;
import org.fusionml.data.graph.RadiusGraphBuilder;
import org.fusionml.data.graph.ShortestBasis;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;

/**
 * One structure's atom graph and line graph as plain arrays, ready to batch, with its lattice
 * described by its {@link ShortestBasis} v_1, v_2, v_3 (rotation-invariant numbers only: lengths
 * and cosines).
 *
 * @param atomicNumbers [N]
 * @param src [E] source atom of each bond
 * @param dst [E] destination atom
 * @param bondLengths [E], Angstrom
 * @param tripletIn [T] bond a -> b of each bond pair
 * @param tripletOut [T] bond b -> c
 * @param angleCosines [T]
 * @param edgeLatticeCosines [E, 3] flattened, cos(r_e, v_k) of each bond vector r_e with v_1, v_2,
 *     v_3
 * @param latticeLengths [3] |v_1|, |v_2|, |v_3|, Angstrom
 * @param latticeCosines [3] cos(v_2, v_3), cos(v_1, v_3), cos(v_1, v_2)
 */
public record GraphSample(
        int[] atomicNumbers,
        int[] src,
        int[] dst,
        float[] bondLengths,
        int[] tripletIn,
        int[] tripletOut,
        float[] angleCosines,
        float[] edgeLatticeCosines,
        float[] latticeLengths,
        float[] latticeCosines) {

    public int numAtoms() {
        return atomicNumbers.length;
    }

    public int numEdges() {
        return src.length;
    }

    public int numTriplets() {
        return tripletIn.length;
    }

    /** Builds the ALIGNN graph of {@code s} with {@code builder}, line graph included. */
    public static GraphSample of(Structure s, KnnGraphBuilder builder) {
        return of(builder.build(s), ShortestBasis.of(s.lattice()), true);
    }

    /**
     * The graph for {@code config}: k-NN or radius graph, with the lattice loops it asks for
     * ({@link ArchitectureConfig#latticeLoops()}) and with the line graph when it reads it.
     */
    public static GraphSample of(Structure s, ArchitectureConfig config) {
        CrystalGraph g =
                config.knnGraph()
                        ? new KnnGraphBuilder(
                                        new KnnGraphConfig(
                                                config.cutoff(), config.maxNeighbors(), 1e-6))
                                .build(s)
                        : new RadiusGraphBuilder(config.cutoff()).build(s);
        ShortestBasis basis = ShortestBasis.of(s.lattice());
        int[][] loops = config.latticeLoops().images(basis);
        if (loops.length > 0) {
            g = g.withLoops(s, loops);
        }
        return of(g, basis, config.lineGraph());
    }

    private static GraphSample of(CrystalGraph g, ShortestBasis basis, boolean withLineGraph) {
        LineGraph lg =
                withLineGraph
                        ? g.lineGraph()
                        : new LineGraph(new int[0], new int[0], new double[0]);
        float[] lengths = new float[g.numEdges()];
        for (int e = 0; e < lengths.length; e++) {
            lengths[e] = (float) g.distances()[e];
        }
        float[] cos = new float[lg.numTriplets()];
        for (int t = 0; t < cos.length; t++) {
            cos[t] = (float) lg.cosines()[t];
        }
        float[] edgeCos = new float[3 * g.numEdges()];
        double[] r = new double[3];
        for (int e = 0; e < g.numEdges(); e++) {
            System.arraycopy(g.vectors(), 3 * e, r, 0, 3);
            double[] c = basis.cosinesWith(r);
            for (int k = 0; k < 3; k++) {
                edgeCos[3 * e + k] = (float) c[k];
            }
        }
        return new GraphSample(
                g.atomicNumbers(),
                g.src(),
                g.dst(),
                lengths,
                lg.edgeIn(),
                lg.edgeOut(),
                cos,
                edgeCos,
                toFloats(basis.lengths()),
                toFloats(basis.cosines()));
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
