package org.fusionml.models.batch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.ops.GraphOps;

/**
 * Graphs of B structures concatenated into one disconnected graph: node, edge and triplet indices
 * are offset, and the sparse matrices that sum messages into atoms / bonds and average atoms into
 * graphs are built once here.
 *
 * <p>{@link #toNDList()} writes the arrays in the order of the record components; {@link
 * #fromNDList} reads them back (the model's input).
 *
 * @param atomFeatures [N, 92] CGCNN-style one-hot atom features
 * @param bondLengths [E], Angstrom
 * @param angleCosines [T]
 * @param edgeLatticeCosines [E, 3], cos(r_e, v_k) of each bond vector with the three vectors of its
 *     crystal's shortest lattice basis ({@link org.fusionml.data.graph.ShortestBasis})
 * @param latticeLengths [B, 3], |v_1|, |v_2|, |v_3| of each crystal, Angstrom
 * @param latticeCosines [B, 3], cos(v_2, v_3), cos(v_1, v_3), cos(v_1, v_2) of each crystal
 * @param edgeSrc [E] int64
 * @param edgeDst [E] int64
 * @param tripletIn [T] int64, line-graph source node (bond a -> b)
 * @param tripletOut [T] int64, line-graph destination node (bond b -> c)
 * @param edgeToAtom sparse [N, E]: sums bond messages into their destination atoms
 * @param tripletToEdge sparse [E, T]: sums triplet messages into their destination bonds
 * @param atomToGraph sparse [B, N]: mean over each graph's atoms
 * @param bondVectors [E, 3], r_e of each bond, Angstrom ({@link GraphSample#bondVectors()})
 * @param edgePotentials [E, 3], the Coulomb, London and Pauli lattice sums of the atom pair of each
 *     bond ({@link GraphSample#edgePotentials()}; zeros unless the architecture reads them)
 */
public record GraphBatch(
        NDArray atomFeatures,
        NDArray bondLengths,
        NDArray angleCosines,
        NDArray edgeLatticeCosines,
        NDArray latticeLengths,
        NDArray latticeCosines,
        NDArray edgeSrc,
        NDArray edgeDst,
        NDArray tripletIn,
        NDArray tripletOut,
        NDArray edgeToAtom,
        NDArray tripletToEdge,
        NDArray atomToGraph,
        NDArray bondVectors,
        NDArray edgePotentials) {

    /** Number of arrays in {@link #toNDList()}. */
    public static final int SIZE = 15;

    /** Concatenates {@code samples} on {@code manager}. */
    public static GraphBatch of(NDManager manager, List<GraphSample> samples) {
        int n = 0;
        int e = 0;
        int t = 0;
        for (GraphSample s : samples) {
            n += s.numAtoms();
            e += s.numEdges();
            t += s.numTriplets();
        }
        int[] z = new int[n];
        long[] src = new long[e];
        long[] dst = new long[e];
        int[] dstInt = new int[e];
        float[] lengths = new float[e];
        long[] tin = new long[t];
        long[] tout = new long[t];
        int[] toutInt = new int[t];
        float[] cos = new float[t];
        float[] edgeLatticeCos = new float[3 * e];
        float[] bondVectors = new float[3 * e];
        float[] potentials = new float[3 * e];
        float[] latticeLengths = new float[3 * samples.size()];
        float[] latticeCos = new float[3 * samples.size()];
        int[] graphOfAtom = new int[n];
        int atomOffset = 0;
        int edgeOffset = 0;
        int tripletOffset = 0;
        for (int g = 0; g < samples.size(); g++) {
            GraphSample s = samples.get(g);
            for (int i = 0; i < s.numAtoms(); i++) {
                z[atomOffset + i] = s.atomicNumbers()[i];
                graphOfAtom[atomOffset + i] = g;
            }
            for (int q = 0; q < s.numEdges(); q++) {
                src[edgeOffset + q] = s.src()[q] + atomOffset;
                dstInt[edgeOffset + q] = s.dst()[q] + atomOffset;
                dst[edgeOffset + q] = dstInt[edgeOffset + q];
                lengths[edgeOffset + q] = s.bondLengths()[q];
            }
            System.arraycopy(
                    s.edgeLatticeCosines(), 0, edgeLatticeCos, 3 * edgeOffset, 3 * s.numEdges());
            System.arraycopy(s.bondVectors(), 0, bondVectors, 3 * edgeOffset, 3 * s.numEdges());
            System.arraycopy(s.edgePotentials(), 0, potentials, 3 * edgeOffset, 3 * s.numEdges());
            System.arraycopy(s.latticeLengths(), 0, latticeLengths, 3 * g, 3);
            System.arraycopy(s.latticeCosines(), 0, latticeCos, 3 * g, 3);
            for (int q = 0; q < s.numTriplets(); q++) {
                tin[tripletOffset + q] = s.tripletIn()[q] + edgeOffset;
                toutInt[tripletOffset + q] = s.tripletOut()[q] + edgeOffset;
                tout[tripletOffset + q] = toutInt[tripletOffset + q];
                cos[tripletOffset + q] = s.angleCosines()[q];
            }
            atomOffset += s.numAtoms();
            edgeOffset += s.numEdges();
            tripletOffset += s.numTriplets();
        }
        return new GraphBatch(
                manager.create(AtomFeatures.of(z), new Shape(n, AtomFeatures.SIZE)),
                manager.create(lengths),
                manager.create(cos),
                manager.create(edgeLatticeCos, new Shape(e, 3)),
                manager.create(latticeLengths, new Shape(samples.size(), 3)),
                manager.create(latticeCos, new Shape(samples.size(), 3)),
                manager.create(src),
                manager.create(dst),
                manager.create(tin),
                manager.create(tout),
                GraphOps.segmentSum(manager, dstInt, n),
                GraphOps.segmentSum(manager, toutInt, e),
                GraphOps.segmentMean(manager, graphOfAtom, samples.size()),
                manager.create(bondVectors, new Shape(e, 3)),
                manager.create(potentials, new Shape(e, 3)));
    }

    public NDList toNDList() {
        return new NDList(
                atomFeatures,
                bondLengths,
                angleCosines,
                edgeLatticeCosines,
                latticeLengths,
                latticeCosines,
                edgeSrc,
                edgeDst,
                tripletIn,
                tripletOut,
                edgeToAtom,
                tripletToEdge,
                atomToGraph,
                bondVectors,
                edgePotentials);
    }

    public static GraphBatch fromNDList(NDList list) {
        if (list.size() != SIZE) {
            throw new IllegalArgumentException(
                    "a graph batch has " + SIZE + " arrays, got " + list.size());
        }
        return new GraphBatch(
                list.get(0),
                list.get(1),
                list.get(2),
                list.get(3),
                list.get(4),
                list.get(5),
                list.get(6),
                list.get(7),
                list.get(8),
                list.get(9),
                list.get(10),
                list.get(11),
                list.get(12),
                list.get(13),
                list.get(14));
    }

    /** Number of graphs B. */
    public long numGraphs() {
        return atomToGraph.getShape().get(0);
    }

    /**
     * The graph of each atom [N], read back from {@link #atomToGraph} (its one non-zero per
     * column); for models that group atoms by graph beyond a mean (attention, set2set).
     */
    public int[] graphOfAtom() {
        try (NDArray dense = atomToGraph.toDense();
                NDArray arg = dense.argMax(0)) {
            return toInts(arg.toLongArray());
        }
    }

    /** The destination atom of each bond [E], from {@link #edgeDst}. */
    public int[] edgeDestinations() {
        return toInts(edgeDst.toLongArray());
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }
}
