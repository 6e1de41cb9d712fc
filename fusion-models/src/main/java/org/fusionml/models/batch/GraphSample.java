package org.fusionml.models.batch;

import java.util.HashMap;
import java.util.Map;
import org.fusionml.data.graph.CrystalGraph;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.KnnGraphConfig;
import org.fusionml.data.graph.LineGraph;
import org.fusionml.data.graph.PeriodicPotentials;
import org.fusionml.data.graph.RadiusGraphBuilder;
import org.fusionml.data.graph.ShortestBasis;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;

/**
 * One structure's atom graph and line graph as plain arrays, ready to batch, with its lattice
 * described by its {@link ShortestBasis} v_1, v_2, v_3 (rotation-invariant numbers: lengths and
 * cosines), and the bond vectors themselves for the equivariant models.
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
 * @param bondVectors [E, 3] flattened, r_e = r_dst + n M - r_src of each bond, Angstrom (they turn
 *     with the structure; only the equivariant models read them)
 * @param edgePotentials [E, 3] flattened, the Coulomb, London and Pauli sums over all lattice
 *     translations of the atom pair of each bond ({@link PeriodicPotentials}; 1/Angstrom,
 *     1/Angstrom^6 and dimensionless), or zeros when the architecture does not read them ({@link
 *     ArchitectureConfig#edgePotentials()})
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
        float[] latticeCosines,
        float[] bondVectors,
        float[] edgePotentials) {

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
        return of(builder.build(s), ShortestBasis.of(s.lattice()), true, null);
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
        return of(
                g,
                basis,
                config.lineGraph(),
                config.edgePotentials() ? new PeriodicPotentials(s.lattice()) : null);
    }

    /**
     * The lattice sums of the atom pair of every edge of {@code g} (every image of a pair has the
     * same ones, so each pair is summed once).
     */
    static float[] potentials(CrystalGraph g, PeriodicPotentials sums) {
        float[] out = new float[3 * g.numEdges()];
        Map<Long, double[]> byPair = new HashMap<>();
        for (int e = 0; e < g.numEdges(); e++) {
            int e0 = e;
            double[] v =
                    byPair.computeIfAbsent(
                            (long) g.src()[e] * g.numAtoms() + g.dst()[e],
                            key ->
                                    sums.all(
                                            new double[] {
                                                g.vectors()[3 * e0],
                                                g.vectors()[3 * e0 + 1],
                                                g.vectors()[3 * e0 + 2]
                                            }));
            for (int k = 0; k < 3; k++) {
                out[3 * e + k] = (float) v[k];
            }
        }
        return out;
    }

    private static GraphSample of(
            CrystalGraph g, ShortestBasis basis, boolean withLineGraph, PeriodicPotentials sums) {
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
                toFloats(basis.cosines()),
                toFloats(g.vectors()),
                sums == null ? new float[3 * g.numEdges()] : potentials(g, sums));
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
