package org.fusionml.models.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scripted operators against the DJL compositions they replace, values and gradients. */
class ScriptedOpsTest {

    /** silu(x) = x sigmoid(x); d/dx = s (1 + x (1 - s)), checked through autograd on both sides. */
    @Test
    void siluEqualsXTimesSigmoidWithGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-8, 8, new Shape(300, 7));
            NDArray w = m.randomUniform(-1, 1, new Shape(300, 7));
            float[][] fused = valueAndGradient(x, w, true);
            float[][] composed = valueAndGradient(x, w, false);
            assertArrayEquals(composed[0], fused[0], 1e-6f);
            assertArrayEquals(composed[1], fused[1], 1e-6f);
            float[] xs = x.toFloatArray();
            for (int k = 0; k < xs.length; k += 97) { // the closed form at a few points
                double s = 1 / (1 + Math.exp(-xs[k]));
                assertEquals(xs[k] * s, fused[0][k], 1e-5);
            }
        }
    }

    private static float[][] valueAndGradient(NDArray x0, NDArray w, boolean fused) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y = fused ? ScriptedOps.silu(x) : x.mul(Activation.sigmoid(x));
            float[] value = y.toFloatArray();
            gc.backward(y.mul(w).sum());
            return new float[][] {value, x.getGradient().toFloatArray()};
        }
    }

    /**
     * The scatter-add of {@link ScriptedOps#scatterAdd} against the sparse product S x it replaced,
     * for sums and means into segments of a random graph (several rows a segment, empty segments),
     * features as a matrix and as a vector: the outputs and the gradients of x agree to float32
     * rounding (the sums run in another order).
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 16})
    void segmentSumEqualsTheSparseProductWithGradients(int features) {
        SplittableRandom rng = new SplittableRandom(11);
        int segments = 60;
        int rows = 1500;
        int[] segment = new int[rows];
        for (int r = 0; r < rows; r++) {
            segment[r] = rng.nextInt(segments - 5); // the last five stay empty
        }
        Shape shape = features == 0 ? new Shape(rows) : new Shape(rows, features);
        Shape out = features == 0 ? new Shape(segments) : new Shape(segments, features);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1, 1, shape);
            NDArray w = m.randomUniform(-1, 1, out);
            for (NDArray matrix :
                    new NDArray[] {
                        GraphOps.segmentSum(m, segment, segments),
                        GraphOps.segmentMean(m, segment, segments)
                    }) {
                float[][] scripted = sumAndGradient(matrix, x, w, true);
                float[][] sparse = sumAndGradient(matrix, x, w, false);
                assertArrayEquals(sparse[0], scripted[0], 1e-5f);
                assertArrayEquals(sparse[1], scripted[1], 1e-6f);
            }
        }
    }

    private static float[][] sumAndGradient(
            NDArray matrix, NDArray x0, NDArray w, boolean scripted) {
        NDArray x = x0.duplicate();
        x.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y;
            if (scripted) {
                y = ScriptedOps.scatterAdd(x, matrix);
            } else if (x.getShape().dimension() == 1) {
                y = matrix.matMul(x.reshape(-1, 1)).reshape(-1);
            } else {
                y = matrix.matMul(x);
            }
            assertEquals(w.getShape(), y.getShape());
            float[] value = y.toFloatArray();
            gc.backward(y.mul(w).sum());
            return new float[][] {value, x.getGradient().toFloatArray()};
        }
    }

    /**
     * float64 features with a matrix converted by toType (the path of Segments.of), a batch with no
     * rows, and a call from a second thread (the graph optimiser is switched off per thread): each
     * equals the sparse product.
     */
    @Test
    void segmentSumInFloat64WithNoRowsAndOnAnotherThread() throws Exception {
        int[] segment = {2, 0, 2, 1, 2, 0};
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray mean = GraphOps.segmentMean(m, segment, 4).toType(DataType.FLOAT64, false);
            NDArray x = m.randomUniform(-1, 1, new Shape(6, 3)).toType(DataType.FLOAT64, false);
            NDArray expected = mean.matMul(x);
            assertEquals(DataType.FLOAT64, GraphOps.scatter(mean, x).getDataType());
            assertArrayEquals(
                    expected.toDoubleArray(), GraphOps.scatter(mean, x).toDoubleArray(), 1e-12);

            NDArray empty = GraphOps.segmentSum(m, new int[0], 3);
            NDArray none = GraphOps.scatter(empty, m.zeros(new Shape(0, 5)));
            assertEquals(new Shape(3, 5), none.getShape());
            assertArrayEquals(new float[15], none.toFloatArray(), 0f);

            double[][] onThread = new double[1][];
            Thread other =
                    new Thread(() -> onThread[0] = GraphOps.scatter(mean, x).toDoubleArray());
            other.start();
            other.join();
            assertArrayEquals(expected.toDoubleArray(), onThread[0], 1e-12);
        }
    }

    /** Rows that do not match the matrix's columns, or another data type, are refused. */
    @Test
    void segmentSumRefusesRowsThatDoNotMatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray sum = GraphOps.segmentSum(m, new int[] {0, 1, 1}, 2);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> GraphOps.scatter(sum, m.ones(new Shape(4, 2))));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> GraphOps.scatter(sum, m.ones(new Shape(3, 2, 2))));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> GraphOps.scatter(sum, m.ones(new Shape(3), DataType.FLOAT64)));
        }
    }
}
