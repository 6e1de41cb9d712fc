package org.fusionml.models.ops;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.List;

/**
 * Message passing primitives with autograd, on CPU and GPU.
 *
 * <p>A sum into segments is described by a sparse COO matrix S [S, R] that holds w_r at
 * (segment(r), r), built once per batch ({@link #segmentSum}, {@link #segmentMean}) and reused by
 * every layer: out = S x. DJL has no scatter-add, so {@link #scatter} computes it with libtorch's
 * {@code scatter_add} through {@link ScriptedOps} (the sparse product {@code S.matMul(x)} gives the
 * same sums, in another order, several times slower with gradients).
 *
 * <p>Memory safety: {@code NDManager.createCoo(Buffer, ...)} wraps a Java direct buffer without
 * copying it; once that buffer is collected the sparse tensor points at freed memory and the JVM
 * crashes after a GC. Here the indices are copied into tensor-owned storage ({@code duplicate()})
 * and the values are created by the engine, so nothing aliases Java memory.
 */
public final class GraphOps {
    private GraphOps() {}

    /**
     * Rows of {@code x} at {@code index}: out[r] = x[index[r]].
     *
     * <p>Implemented as {@code torch.gather} along axis 0 with the index broadcast (stride 0) over
     * the feature axis. Its backward is a scatter-add with an expanded index, for which libtorch's
     * CPU kernel has a sorted, parallel path; advanced indexing ({@code x[index]}) goes backward
     * through {@code index_put_} with accumulation instead, measured 3-4x slower on the line graph
     * and the largest single cost of a training step.
     *
     * @param x [N, F] (or [N])
     * @param index [R] int64
     * @return [R, F] (or [R])
     */
    public static NDArray gather(NDArray x, NDArray index) {
        if (x.getShape().dimension() == 1) {
            return x.gather(index, 0);
        }
        Shape rows = new Shape(index.getShape().get(0), x.getShape().get(1));
        return x.gather(index.reshape(-1, 1).broadcast(rows), 0);
    }

    /**
     * One column block of a linear layer's input: the rows {@code x[index]} ({@code index} null: x
     * itself).
     *
     * @param x [N, F_s]
     * @param index [R] int64, or null (x then has R rows)
     */
    public record Part(NDArray x, NDArray index) {
        public static Part gathered(NDArray x, NDArray index) {
            return new Part(x, index);
        }

        public static Part rows(NDArray x) {
            return new Part(x, null);
        }
    }

    /**
     * {@code linear} applied to the column concatenation of {@code parts}, [R, F_1 + F_2 + ...],
     * without forming it: with the weight split into column blocks W_s, the sum over parts of x_s
     * W_s^T, gathered to the rows for a gathered part, plus the bias. A gathered part is multiplied
     * once per node ([N, F_s], N rows instead of R) and its gather's backward receives a contiguous
     * gradient, which libtorch's parallel scatter-add path needs (a column slice of a
     * concatenation's gradient takes a serial kernel several times slower). The same sums as the
     * layer on the concatenation, in another order; the layer's parameters are used as they are, so
     * its names and saved weights do not change.
     *
     * @param linear an initialised layer with a bias, whose input width is the parts' total width
     * @return [R, units]
     */
    public static NDArray linearOfConcat(
            Linear linear, ParameterStore ps, List<Part> parts, boolean training) {
        PairList<String, Parameter> p = linear.getParameters();
        Device device = parts.get(0).x().getDevice();
        NDArray weight = ps.getValue(p.get("weight"), device, training);
        NDArray bias = ps.getValue(p.get("bias"), device, training);
        long[] cuts = new long[parts.size() - 1];
        long width = 0;
        for (int s = 0; s < parts.size(); s++) {
            width += parts.get(s).x().getShape().get(1);
            if (s < cuts.length) {
                cuts[s] = width;
            }
        }
        if (bias == null || width != weight.getShape().get(1)) {
            throw new IllegalArgumentException(
                    "the parts are "
                            + width
                            + " columns wide; the layer takes "
                            + weight.getShape().get(1)
                            + (bias == null ? " and has no bias" : ""));
        }
        NDList w = weight.split(cuts, 1);
        NDArray out = null;
        for (int s = 0; s < parts.size(); s++) { // the row parts first: the bias rides on addmm
            Part part = parts.get(s);
            if (part.index() == null) {
                out =
                        out == null
                                ? Linear.linear(part.x(), w.get(s), bias).singletonOrThrow()
                                : out.add(Linear.linear(part.x(), w.get(s)).singletonOrThrow());
            }
        }
        for (int s = 0; s < parts.size(); s++) {
            Part part = parts.get(s);
            if (part.index() != null) {
                NDArray rows =
                        gather(Linear.linear(part.x(), w.get(s)).singletonOrThrow(), part.index());
                out = out == null ? rows.add(bias) : out.add(rows);
            }
        }
        return out;
    }

    /** An int64 index array [n] holding {@code values} (for {@link #gather} and edge lists). */
    public static NDArray index(NDManager manager, int[] values) {
        long[] v = new long[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return manager.create(v);
    }

    /**
     * The sparse matrix [numSegments, R] that sums rows into their segments.
     *
     * @param manager owner of the matrix
     * @param segmentOfRow [R], segment of each row, in 0..numSegments-1
     */
    public static NDArray segmentSum(NDManager manager, int[] segmentOfRow, int numSegments) {
        float[] ones = new float[segmentOfRow.length];
        Arrays.fill(ones, 1f);
        return coo(manager, segmentOfRow, ones, numSegments);
    }

    /**
     * The sparse matrix [numSegments, R] that averages rows per segment (empty segments give 0).
     */
    public static NDArray segmentMean(NDManager manager, int[] segmentOfRow, int numSegments) {
        int[] counts = new int[numSegments];
        for (int s : segmentOfRow) {
            counts[s]++;
        }
        float[] w = new float[segmentOfRow.length];
        for (int r = 0; r < w.length; r++) {
            w[r] = 1f / counts[segmentOfRow[r]];
        }
        return coo(manager, segmentOfRow, w, numSegments);
    }

    /**
     * out = S x for a matrix from {@link #segmentSum} or {@link #segmentMean}, with gradients with
     * respect to x.
     *
     * @param matrix sparse [S, R]
     * @param x [R, F] (or [R]), of the matrix's data type
     * @return [S, F] (or [S])
     * @throws IllegalArgumentException if x has not R rows, more than two axes or another data type
     */
    public static NDArray scatter(NDArray matrix, NDArray x) {
        Shape shape = x.getShape();
        long columns = matrix.getShape().get(1);
        if (shape.dimension() < 1
                || shape.dimension() > 2
                || shape.get(0) != columns
                || x.getDataType() != matrix.getDataType()) {
            throw new IllegalArgumentException(
                    "a sum into segments takes ["
                            + columns
                            + "] or ["
                            + columns
                            + ", F] "
                            + matrix.getDataType()
                            + " rows, got "
                            + shape
                            + " "
                            + x.getDataType());
        }
        return ScriptedOps.scatterAdd(x, matrix);
    }

    private static NDArray coo(
            NDManager manager, int[] segmentOfRow, float[] values, int numSegments) {
        int r = segmentOfRow.length;
        long[][] idx = new long[2][r];
        for (int i = 0; i < r; i++) {
            if (segmentOfRow[i] < 0 || segmentOfRow[i] >= numSegments) {
                throw new IllegalArgumentException(
                        "row "
                                + i
                                + " has segment "
                                + segmentOfRow[i]
                                + " outside 0.."
                                + (numSegments - 1));
            }
            idx[0][i] = segmentOfRow[i];
            idx[1][i] = i;
        }
        try (NDManager scratch = manager.newSubManager()) {
            // create() may wrap a direct buffer; duplicate() copies into tensor-owned storage.
            // Not coalesced: ScriptedOps.scatterAdd relies on the columns staying 0..R-1 in order.
            PtNDArray indices = (PtNDArray) scratch.create(idx).duplicate();
            PtNDArray vals = (PtNDArray) scratch.create(values).duplicate();
            NDArray coo = JniUtils.createSparseCoo(indices, vals, new Shape(numSegments, r));
            coo.attach(manager);
            return coo;
        }
    }
}
