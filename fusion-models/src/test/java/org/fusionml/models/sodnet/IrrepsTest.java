package org.fusionml.models.sodnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.fusionml.models.equivariant.TensorProduct;
import org.junit.jupiter.api.Test;

/** The fused depthwise tensor product against one {@link TensorProduct#couple} per path. */
class IrrepsTest {
    @Test
    void pathsKeepParityAndStayWithinTheDegrees() {
        List<int[]> paths = Irreps.paths(2, 2, 2);
        assertEquals(11, paths.size());
        for (int[] p : paths) {
            assertEquals(0, (p[0] + p[1] + p[2]) % 2);
            assertEquals(true, p[2] >= Math.abs(p[0] - p[1]) && p[2] <= Math.min(2, p[0] + p[1]));
        }
        assertArrayEquals(new int[] {5 + 3 + 2, 5 + 3 + 3 + 2, 5 + 3 + 2 + 2}, channels(5, 3, 2));
        assertEquals(5 * 3 + 3 * 4 + 2 * 4, Irreps.depthwiseWeights(new int[] {5, 3, 2}, 2, 2));
    }

    private static int[] channels(int... c) {
        return Irreps.depthwiseChannels(c, 2, 2);
    }

    /**
     * For random features of degrees 0..2 (5, 3 and 2 channels), harmonics of random vectors and
     * per-row weights (and shared [1, W] weights), every output channel equals w_{r p c} times the
     * path's coupling of channel c, in the documented channel order, to 1e-12 in float64.
     */
    @Test
    void fusedProductEqualsOnePathAtATime() {
        int[] c = {5, 3, 2};
        int rows = 7;
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            NDList x = new NDList();
            for (int l = 0; l < 3; l++) {
                x.add(random(m, rows, c[l], 2 * l + 1));
            }
            NDArray y = Irreps.harmonics(random(m, rows, 3), 2);
            int weights = Irreps.depthwiseWeights(c, 2, 2);
            for (NDArray w : List.of(random(m, rows, weights), random(m, 1, weights))) {
                NDList z = Irreps.depthwise(x, y, 2, w, 2);
                List<int[]> paths = Irreps.paths(2, 2, 2);
                int[] filled = new int[3];
                int offset = 0;
                for (int l1 = 0; l1 < 3; l1++) {
                    int degree = l1;
                    List<int[]> mine = paths.stream().filter(p -> p[0] == degree).toList();
                    int[] seen = new int[3];
                    int[] count = new int[3];
                    for (int[] p : mine) {
                        count[p[2]]++;
                    }
                    for (int q = 0; q < mine.size(); q++) {
                        int[] p = mine.get(q);
                        NDArray wp =
                                w.get(
                                                new NDIndex(
                                                        ":, "
                                                                + (offset + q * c[l1])
                                                                + ":"
                                                                + (offset + (q + 1) * c[l1])))
                                        .broadcast(new Shape(rows, c[l1]));
                        NDArray yl =
                                y.get(
                                                new NDIndex(
                                                        ":, "
                                                                + p[1] * p[1]
                                                                + ":"
                                                                + (p[1] + 1) * (p[1] + 1)))
                                        .reshape(rows, 1, 2 * p[1] + 1);
                        double[] expected =
                                TensorProduct.couple(x.get(l1), yl, l1, p[1], p[2])
                                        .mul(wp.expandDims(2))
                                        .toDoubleArray();
                        double[] actual = z.get(p[2]).toDoubleArray();
                        int d3 = 2 * p[2] + 1;
                        long width = z.get(p[2]).getShape().get(1);
                        for (int r = 0; r < rows; r++) {
                            for (int ch = 0; ch < c[l1]; ch++) {
                                int channel = filled[p[2]] + ch * count[p[2]] + seen[p[2]];
                                for (int k = 0; k < d3; k++) {
                                    assertEquals(
                                            expected[(r * c[l1] + ch) * d3 + k],
                                            actual[(int) ((r * width + channel) * d3 + k)],
                                            1e-12,
                                            "path " + List.of(l1, p[1], p[2]) + " channel " + ch);
                                }
                            }
                        }
                        seen[p[2]]++;
                    }
                    for (int l3 = 0; l3 < 3; l3++) {
                        filled[l3] += count[l3] * c[l1];
                    }
                    offset += mine.size() * c[l1];
                }
                assertArrayEquals(
                        channels(c), new int[] {filled[0], filled[1], filled[2]}, "all filled");
            }
        }
    }

    private static NDArray random(NDManager m, long... shape) {
        return m.randomNormal(new Shape(shape)).toType(DataType.FLOAT64, false);
    }
}
