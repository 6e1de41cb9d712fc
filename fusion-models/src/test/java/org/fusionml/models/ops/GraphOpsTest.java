package org.fusionml.models.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
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

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
