package org.fusionml.models.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GraphOpsTest {
    @Test
    void gatherAndScatterEqualBruteForceLoopsWithGradients() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 7;
        int e = 23;
        int f = 4;
        float[] x = new float[n * f];
        for (int k = 0; k < x.length; k++) {
            x[k] = (float) rng.nextDouble(-1, 1);
        }
        int[] src = new int[e];
        int[] dst = new int[e];
        for (int k = 0; k < e; k++) {
            src[k] = rng.nextInt(n);
            dst[k] = rng.nextInt(n - 1); // node n-1 receives nothing
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray xs = m.create(x, new Shape(n, f));
            xs.setRequiresGradient(true);
            NDArray weights = m.randomUniform(-1, 1, new Shape(n, f));
            float[] sum;
            float[] mean;
            float[] grad;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray messages = GraphOps.gather(xs, m.create(toLong(src)));
                NDArray s = GraphOps.scatter(GraphOps.segmentSum(m, dst, n), messages);
                NDArray a = GraphOps.scatter(GraphOps.segmentMean(m, dst, n), messages);
                sum = s.toFloatArray();
                mean = a.toFloatArray();
                gc.backward(s.mul(weights).sum());
                grad = xs.getGradient().toFloatArray();
            }
            float[] w = weights.toFloatArray();
            float[] expectedSum = new float[n * f];
            float[] expectedMean = new float[n * f];
            float[] expectedGrad = new float[n * f];
            int[] count = new int[n];
            for (int k = 0; k < e; k++) {
                count[dst[k]]++;
                for (int c = 0; c < f; c++) {
                    expectedSum[dst[k] * f + c] += x[src[k] * f + c];
                    expectedGrad[src[k] * f + c] += w[dst[k] * f + c];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < f; c++) {
                    expectedMean[i * f + c] = count[i] == 0 ? 0 : expectedSum[i * f + c] / count[i];
                }
            }
            assertArrayEquals(expectedSum, sum, 1e-5f);
            assertArrayEquals(expectedMean, mean, 1e-5f);
            assertArrayEquals(expectedGrad, grad, 1e-5f);
        }
    }

    /**
     * Sparse matrices built, used after forced garbage collections, rebuilt, thousands of times:
     * with Java buffers aliased into the tensors this crashes the JVM or returns garbage.
     */
    @Test
    void sparseMatricesSurviveGarbageCollection() {
        try (NDManager m = NDManager.newBaseManager()) {
            int n = 50;
            int[] seg = new int[400];
            for (int k = 0; k < seg.length; k++) {
                seg[k] = k % n;
            }
            NDArray ones = m.ones(new Shape(seg.length, 3));
            float[] expected = new float[n * 3];
            Arrays.fill(expected, 8f);
            List<NDArray> kept = new ArrayList<>();
            for (int round = 0; round < 2000; round++) {
                try (NDManager local = m.newSubManager()) {
                    NDArray s = GraphOps.segmentSum(local, seg, n);
                    if (round % 100 == 0) {
                        NDArray longLived = GraphOps.segmentSum(m, seg, n);
                        kept.add(longLived);
                        byte[][] churn = new byte[64][];
                        for (int c = 0; c < churn.length; c++) {
                            churn[c] = new byte[1 << 16];
                        }
                        System.gc();
                    }
                    assertArrayEquals(expected, GraphOps.scatter(s, ones).toFloatArray(), 0f);
                }
            }
            System.gc();
            for (NDArray s : kept) {
                assertArrayEquals(expected, GraphOps.scatter(s, ones).toFloatArray(), 0f);
            }
        }
    }

    /**
     * The layer on the concatenation [x[dst], x[src], u] against {@link GraphOps#linearOfConcat}
     * with the same parameters, on a random graph: outputs and the gradients of x, u, the weight
     * and the bias agree to float32 rounding.
     */
    @Test
    void linearOfConcatEqualsTheLayerOnTheConcatenationWithGradients() {
        SplittableRandom rng = new SplittableRandom(11);
        int n = 9;
        int e = 31;
        int f = 5;
        int g = 3;
        int[] src = new int[e];
        int[] dst = new int[e];
        for (int k = 0; k < e; k++) {
            src[k] = rng.nextInt(n);
            dst[k] = rng.nextInt(n);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            Linear layer = Linear.builder().setUnits(4).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 2L * f + g));
            NDArray bias = layer.getParameters().get("bias").getArray();
            bias.set(m.randomUniform(-1, 1, bias.getShape()).toFloatArray());
            NDArray x = m.randomUniform(-1, 1, new Shape(n, f));
            NDArray u = m.randomUniform(-1, 1, new Shape(e, g));
            NDArray weights = m.randomUniform(-1, 1, new Shape(e, 4));
            x.setRequiresGradient(true);
            u.setRequiresGradient(true);
            NDArray di = m.create(toLong(dst));
            NDArray si = m.create(toLong(src));
            List<NDArray> trained =
                    List.of(x, u, layer.getParameters().get("weight").getArray(), bias);
            float[][] before = new float[5][];
            float[][] after = new float[5][];
            for (int pass = 0; pass < 2; pass++) {
                float[][] out = pass == 0 ? before : after;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ParameterStore ps = new ParameterStore(m, false);
                    NDArray y =
                            pass == 0
                                    ? layer.forward(
                                                    ps,
                                                    new NDList(
                                                            GraphOps.gather(x, di)
                                                                    .concat(
                                                                            GraphOps.gather(x, si),
                                                                            1)
                                                                    .concat(u, 1)),
                                                    true)
                                            .singletonOrThrow()
                                    : GraphOps.linearOfConcat(
                                            layer,
                                            ps,
                                            List.of(
                                                    GraphOps.Part.gathered(x, di),
                                                    GraphOps.Part.gathered(x, si),
                                                    GraphOps.Part.rows(u)),
                                            true);
                    out[0] = y.toFloatArray();
                    gc.backward(y.mul(weights).sum());
                }
                for (int t = 0; t < trained.size(); t++) {
                    out[t + 1] = trained.get(t).getGradient().toFloatArray();
                }
            }
            assertArrayEquals(before[0], after[0], 1e-5f);
            for (int t = 1; t < 5; t++) {
                float[] second = after[t].clone(); // gradients accumulate over the two passes
                for (int k = 0; k < second.length; k++) {
                    second[k] -= before[t][k];
                }
                assertArrayEquals(before[t], second, 1e-4f, "gradient " + t);
            }
        }
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
