package org.fusionml.models.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * R rows (bonds or atoms) grouped into S segments (atoms or graphs), with the reductions over
 * segments that need more than a sum: means, broadcasts back to the rows and softmax within each
 * segment (the attention of GATGNN, the set2set readout of MEGNet), and the row of each segment's
 * maximum (CrystalFramer's max frames).
 *
 * <p>A softmax is computed as exp(s_r - m_seg(r)) / sum exp(...) with m_seg the maximum of the
 * segment, taken without gradient (the result does not depend on it). DJL has no scatter-max, so
 * the maximum is read through {@code table}: row indices of each segment padded with R, which
 * points at an extra row of -inf.
 *
 * @param ofRow [R] int64, the segment of each row
 * @param sum sparse [S, R] that sums rows into their segments ({@link GraphOps#segmentSum})
 * @param table [S, K] int64, the rows of each segment padded with R; K the largest segment (at
 *     least 1)
 * @param counts [S], rows per segment (the features' data type)
 */
public record Segments(NDArray ofRow, NDArray sum, NDArray table, NDArray counts) {

    /** Number of arrays in {@link #toNDList()}. */
    public static final int SIZE = 4;

    /**
     * The segments of {@code segmentOfRow}, on {@code manager}, for features of {@code dataType}.
     *
     * @param segmentOfRow [R], each in 0..numSegments-1
     */
    public static Segments of(
            NDManager manager, int[] segmentOfRow, int numSegments, DataType dataType) {
        int[] counts = new int[numSegments];
        for (int s : segmentOfRow) {
            if (s < 0 || s >= numSegments) {
                throw new IllegalArgumentException(
                        "segment " + s + " outside 0.." + (numSegments - 1));
            }
            counts[s]++;
        }
        int k = 1;
        float[] countsF = new float[numSegments];
        for (int s = 0; s < numSegments; s++) {
            k = Math.max(k, counts[s]);
            countsF[s] = counts[s];
        }
        long[] table = new long[numSegments * k];
        Arrays.fill(table, segmentOfRow.length);
        int[] filled = new int[numSegments];
        for (int r = 0; r < segmentOfRow.length; r++) {
            int s = segmentOfRow[r];
            table[s * k + filled[s]++] = r;
        }
        return new Segments(
                GraphOps.index(manager, segmentOfRow),
                GraphOps.segmentSum(manager, segmentOfRow, numSegments).toType(dataType, false),
                manager.create(table, new Shape(numSegments, k)),
                manager.create(countsF).toType(dataType, false));
    }

    /** Number of segments S. */
    public long numSegments() {
        return table.getShape().get(0);
    }

    /**
     * Sum over each segment.
     *
     * @param x [R, F] (or [R])
     * @return [S, F] (or [S])
     */
    public NDArray sum(NDArray x) {
        return GraphOps.scatter(sum, x);
    }

    /**
     * Mean over each segment; an empty segment gives 0.
     *
     * @param x [R, F] (or [R])
     * @return [S, F] (or [S])
     */
    public NDArray mean(NDArray x) {
        NDArray n = counts.maximum(Scalars.of(counts, 1));
        NDArray s = sum(x);
        return s.getShape().dimension() == 1 ? s.div(n) : s.div(n.reshape(-1, 1));
    }

    /**
     * The value of each row's segment.
     *
     * @param perSegment [S, F] (or [S])
     * @return [R, F] (or [R])
     */
    public NDArray broadcast(NDArray perSegment) {
        return GraphOps.gather(perSegment, ofRow);
    }

    /**
     * softmax within each segment, per column: a_r = exp(s_r) / sum_{r' in seg(r)} exp(s_r').
     *
     * @param scores [R, H] (or [R])
     * @return [R, H] (or [R]); the weights of each segment sum to 1
     */
    public NDArray softmax(NDArray scores) {
        boolean vector = scores.getShape().dimension() == 1;
        NDArray s = vector ? scores.reshape(-1, 1) : scores;
        long h = s.getShape().get(1);
        NDArray padded =
                s.stopGradient()
                        .concat(
                                s.getManager()
                                        .full(
                                                new Shape(1, h),
                                                Float.NEGATIVE_INFINITY,
                                                s.getDataType()),
                                0);
        NDArray max =
                GraphOps.gather(padded, table.reshape(-1))
                        .reshape(table.getShape().get(0), table.getShape().get(1), h)
                        .max(new int[] {1});
        NDArray e = s.sub(broadcast(max)).exp();
        NDArray a = e.div(broadcast(sum(e)));
        return vector ? a.reshape(-1) : a;
    }

    /**
     * The row of each segment's largest score, per column, without gradient: out[s, h] = argmax_{r
     * in s} scores[r, h] (the first such row in row order on a tie; R, the padding row, for an
     * empty segment). For selections that are not differentiated (CrystalFramer's max frames).
     *
     * @param scores [R, H]
     * @return [S, H] int64, rows in 0..R
     */
    public NDArray argMax(NDArray scores) {
        long h = scores.getShape().get(1);
        NDArray padded =
                scores.stopGradient()
                        .concat(
                                scores.getManager()
                                        .full(
                                                new Shape(1, h),
                                                Float.NEGATIVE_INFINITY,
                                                scores.getDataType()),
                                0);
        long s = table.getShape().get(0);
        long k = table.getShape().get(1);
        NDArray position = GraphOps.gather(padded, table.reshape(-1)).reshape(s, k, h).argMax(1);
        // table[s, position[s, h]]: the position's row, read per column
        NDArray rows = table.reshape(s, k, 1).broadcast(new Shape(s, k, h));
        return rows.gather(position.reshape(s, 1, h), 1).reshape(s, h);
    }

    /** The arrays in the order of the record components (to pass through a block's input). */
    public NDList toNDList() {
        return new NDList(ofRow, sum, table, counts);
    }

    /** Reads {@link #SIZE} arrays of {@code list} from {@code from} on. */
    public static Segments fromNDList(NDList list, int from) {
        return new Segments(
                list.get(from), list.get(from + 1), list.get(from + 2), list.get(from + 3));
    }
}
