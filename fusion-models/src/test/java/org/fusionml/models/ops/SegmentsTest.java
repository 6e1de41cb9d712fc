package org.fusionml.models.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Segments} against plain loops, with an empty segment and scores far from zero. */
class SegmentsTest {
    private static final int[] SEGMENT = {2, 0, 2, 3, 0, 2, 3, 3, 3}; // segment 1 is empty
    private static final int S = 4;
    private static final int R = SEGMENT.length;
    private static final int H = 2;

    @Test
    void sumMeanBroadcastAndSoftmaxMatchLoops() {
        SplittableRandom rng = new SplittableRandom(8);
        double[] x = new double[R * H];
        for (int i = 0; i < x.length; i++) {
            // scores of several hundred: a softmax without its shift overflows exp in float64
            x[i] = rng.nextDouble(-1, 1) * (i % 3 == 0 ? 800 : 1);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Segments seg = Segments.of(m, SEGMENT, S, DataType.FLOAT64);
            NDArray xs = m.create(x, new Shape(R, H));
            double[] sum = new double[S * H];
            int[] count = new int[S];
            double[] max = new double[S * H];
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int r = 0; r < R; r++) {
                count[SEGMENT[r]]++;
                for (int h = 0; h < H; h++) {
                    sum[SEGMENT[r] * H + h] += x[r * H + h];
                    max[SEGMENT[r] * H + h] = Math.max(max[SEGMENT[r] * H + h], x[r * H + h]);
                }
            }
            assertArrayEquals(sum, seg.sum(xs).toDoubleArray(), 1e-12);
            double[] mean = new double[S * H];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = count[i / H] == 0 ? 0 : sum[i] / count[i / H];
            }
            assertArrayEquals(mean, seg.mean(xs).toDoubleArray(), 1e-12);
            double[] back = new double[R * H];
            for (int r = 0; r < R; r++) {
                for (int h = 0; h < H; h++) {
                    back[r * H + h] = mean[SEGMENT[r] * H + h];
                }
            }
            assertArrayEquals(back, seg.broadcast(seg.mean(xs)).toDoubleArray(), 1e-12);
            double[] z = new double[S * H];
            for (int r = 0; r < R; r++) {
                for (int h = 0; h < H; h++) {
                    z[SEGMENT[r] * H + h] += Math.exp(x[r * H + h] - max[SEGMENT[r] * H + h]);
                }
            }
            double[] softmax = new double[R * H];
            for (int r = 0; r < R; r++) {
                for (int h = 0; h < H; h++) {
                    int i = SEGMENT[r] * H + h;
                    softmax[r * H + h] = Math.exp(x[r * H + h] - max[i]) / z[i];
                }
            }
            assertArrayEquals(softmax, seg.softmax(xs).toDoubleArray(), 1e-12);
            // a vector is one column
            double[] column = new double[R];
            for (int r = 0; r < R; r++) {
                column[r] = x[r * H];
            }
            double[] firstColumn = new double[R];
            for (int r = 0; r < R; r++) {
                firstColumn[r] = softmax[r * H];
            }
            assertArrayEquals(firstColumn, seg.softmax(m.create(column)).toDoubleArray(), 1e-12);
            assertEquals(new Shape(S, 4), seg.table().getShape());
        }
    }

    /**
     * argMax against a loop: the first row of the largest score of each segment and column, on a
     * tie the first in row order, R for the empty segment.
     */
    @Test
    void argMaxMatchesALoopWithTiesToTheFirstRow() {
        double[] x = {
            0.5,
            3, // row 0, segment 2
            7,
            -1, // row 1, segment 0
            0.5,
            3, // row 2, segment 2: ties row 0 in both columns
            -4,
            2, // row 3, segment 3
            1,
            9, // row 4, segment 0
            0.7,
            -2, // row 5, segment 2
            -3,
            2, // row 6, segment 3: ties row 3 in column 1
            -5,
            1.5, // row 7, segment 3
            -3.5,
            1 // row 8, segment 3
        };
        try (NDManager m = NDManager.newBaseManager()) {
            Segments seg = Segments.of(m, SEGMENT, S, DataType.FLOAT64);
            long[] expected = new long[S * H];
            for (int s = 0; s < S; s++) {
                for (int h = 0; h < H; h++) {
                    int best = R;
                    for (int r = 0; r < R; r++) {
                        if (SEGMENT[r] == s && (best == R || x[r * H + h] > x[best * H + h])) {
                            best = r;
                        }
                    }
                    expected[s * H + h] = best;
                }
            }
            assertArrayEquals(new long[] {1, 4, R, R, 5, 0, 6, 3}, expected);
            NDArray rows = seg.argMax(m.create(x, new Shape(R, H)));
            assertEquals(new Shape(S, H), rows.getShape());
            assertArrayEquals(expected, rows.toLongArray());
        }
    }

    @Test
    void aSegmentOutsideTheRangeIsAnError() {
        try (NDManager m = NDManager.newBaseManager()) {
            var e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            IllegalArgumentException.class,
                            () -> Segments.of(m, new int[] {0, 3}, 3, DataType.FLOAT32));
            assertEquals("segment 3 outside 0..2", e.getMessage());
        }
    }
}
