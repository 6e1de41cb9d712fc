package org.fusionml.models.batch;

import java.util.Arrays;
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
 *     translations of the atom pair of each infinite edge ({@link PeriodicPotentials}; 1/Angstrom,
 *     1/Angstrom^6 and dimensionless); zeros on bonds, and everywhere when the architecture reads
 *     no sums. An architecture that reads them ({@link ArchitectureConfig#edgePotentials()},
 *     PotNet) gets its bonds followed by one infinite edge per ordered atom pair of the cell, of
 *     bond length 0 ({@link #withInfiniteEdges})
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
        GraphSample sample = of(g, basis, config.lineGraph());
        return config.edgePotentials()
                ? withInfiniteEdges(sample, s, new PeriodicPotentials(s.lattice()))
                : sample;
    }

    /**
     * {@code local} (its bonds with zero potential sums) followed by PotNet's infinite edges: one
     * edge j -> i for every ordered pair of atoms (i, j) of the cell, i = j included (an atom with
     * its own images), each with bond length 0 (no bond; the length marks the edge as infinite),
     * zero bond vector and lattice cosines, and the Coulomb, London and Pauli sums of the pair over
     * all lattice translations. The sums are even in the pair vector, so each unordered pair is
     * summed once, and every atom's pair with itself has the same sums.
     */
    static GraphSample withInfiniteEdges(GraphSample local, Structure s, PeriodicPotentials sums) {
        int n = s.size();
        int e0 = local.numEdges();
        int e = e0 + n * n;
        int[] src = Arrays.copyOf(local.src(), e);
        int[] dst = Arrays.copyOf(local.dst(), e);
        float[] potentials = new float[3 * e];
        double[] self = sums.all(new double[3]);
        int q = e0;
        for (int i = 0; i < n; i++) {
            double[] ri = s.cartesian(i);
            for (int j = 0; j < n; j++, q++) {
                src[q] = j;
                dst[q] = i;
                double[] v;
                if (i == j) {
                    v = self;
                } else if (j < i) {
                    // the pair (j, i) was summed at row j: copy its sums
                    int mirror = e0 + j * n + i;
                    for (int k = 0; k < 3; k++) {
                        potentials[3 * q + k] = potentials[3 * mirror + k];
                    }
                    continue;
                } else {
                    double[] rj = s.cartesian(j);
                    v = sums.all(new double[] {rj[0] - ri[0], rj[1] - ri[1], rj[2] - ri[2]});
                }
                for (int k = 0; k < 3; k++) {
                    potentials[3 * q + k] = (float) v[k];
                }
            }
        }
        return new GraphSample(
                local.atomicNumbers(),
                src,
                dst,
                Arrays.copyOf(local.bondLengths(), e),
                local.tripletIn(),
                local.tripletOut(),
                local.angleCosines(),
                Arrays.copyOf(local.edgeLatticeCosines(), 3 * e),
                local.latticeLengths(),
                local.latticeCosines(),
                Arrays.copyOf(local.bondVectors(), 3 * e),
                potentials);
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
                toFloats(basis.cosines()),
                toFloats(g.vectors()),
                new float[3 * g.numEdges()]);
    }

    private static float[] toFloats(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
