package org.fusionml.models.crystalframer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Segments;

/**
 * The images an atom attends to in CrystalFramer: every edge j -> i of the radius graph (one
 * periodic image p_j + n of atom j within the cutoff of atom i) and the atom itself (j = i, n = 0),
 * which Crystalformer's attention includes as any transformer's does. With E bonds and N atoms, E'
 * = E + N rows, the bonds first.
 *
 * @param src [E'] int64, the attended atom j of each image (the bond's source, then 0..N-1)
 * @param lengths [E'], |p_j + n - p_i|, Angstrom (the bond lengths, then zeros)
 * @param directions [E', 3], (p_j + n - p_i) / |p_j + n - p_i|, from the querying atom i to the
 *     image (the bond vector reversed; zeros for the atom itself)
 * @param isImage [E'], 1 for a bond, 0 for the atom itself (which has no direction)
 * @param byQuery the E' rows grouped by the querying atom i (the bond's destination)
 */
public record PeriodicImages(
        NDArray src, NDArray lengths, NDArray directions, NDArray isImage, Segments byQuery) {

    /** Number of arrays in {@link #toNDList()}. */
    public static final int SIZE = 4 + Segments.SIZE;

    /** The images of the graphs in {@code b}, on {@code manager}. */
    public static PeriodicImages of(NDManager manager, GraphBatch b) {
        int n = Math.toIntExact(b.atomFeatures().getShape().get(0));
        int[] dst = b.edgeDestinations();
        int e = dst.length;
        int[] query = new int[e + n];
        int[] self = new int[n];
        System.arraycopy(dst, 0, query, 0, e);
        for (int i = 0; i < n; i++) {
            query[e + i] = i;
            self[i] = i;
        }
        NDArray lengths = b.bondLengths();
        DataType type = lengths.getDataType();
        NDArray r = b.bondVectors().toType(type, false);
        NDArray norm = r.square().sum(new int[] {1}, true).sqrt();
        NDArray towardsImage = r.div(norm).neg();
        float[] ones = new float[e + n];
        Arrays.fill(ones, 0, e, 1f);
        return new PeriodicImages(
                b.edgeSrc().concat(GraphOps.index(manager, self), 0),
                lengths.concat(manager.zeros(new Shape(n), type), 0),
                towardsImage.concat(manager.zeros(new Shape(n, 3), type), 0),
                manager.create(ones).toType(type, false),
                Segments.of(manager, query, n, type));
    }

    /** Rows E' = E + N. */
    public long size() {
        return src.getShape().get(0);
    }

    /** The arrays in the order of the record components (to pass through a block's input). */
    public NDList toNDList() {
        NDList out = new NDList(src, lengths, directions, isImage);
        out.addAll(byQuery.toNDList());
        return out;
    }

    /** Reads {@link #SIZE} arrays of {@code list} from {@code from} on. */
    public static PeriodicImages fromNDList(NDList list, int from) {
        return new PeriodicImages(
                list.get(from),
                list.get(from + 1),
                list.get(from + 2),
                list.get(from + 3),
                Segments.fromNDList(list, from + 4));
    }
}
