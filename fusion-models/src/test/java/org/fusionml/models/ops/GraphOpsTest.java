package org.fusionml.models.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
     * The layer on the concatenation of gathered rows x[dst], x[src] and plain rows u against
     * {@link GraphOps#linearOfConcat} with the same parameters, on a random graph, for three
     * layouts (CGCNN's [x[dst], x[src], u]; a row part between gathered ones; gathered parts only):
     * outputs and the gradients of x, u, the weight and the bias agree to float32 rounding.
     */
    @ParameterizedTest
    @ValueSource(strings = {"GGR", "GRG", "GG"})
    void linearOfConcatEqualsTheLayerOnTheConcatenationWithGradients(String layout) {
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
            NDArray x = m.randomUniform(-1, 1, new Shape(n, f));
            NDArray u = m.randomUniform(-1, 1, new Shape(e, g));
            NDArray di = m.create(toLong(dst));
            NDArray si = m.create(toLong(src));
            x.setRequiresGradient(true);
            u.setRequiresGradient(true);
            List<GraphOps.Part> parts = new ArrayList<>();
            NDArray[] indices = {di, si};
            int gathered = 0;
            long width = 0;
            for (char c : layout.toCharArray()) {
                parts.add(
                        c == 'G'
                                ? GraphOps.Part.gathered(x, indices[gathered++])
                                : GraphOps.Part.rows(u));
                width += c == 'G' ? f : g;
            }
            Linear layer = Linear.builder().setUnits(4).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, width));
            NDArray bias = layer.getParameters().get("bias").getArray();
            bias.set(m.randomUniform(-1, 1, bias.getShape()).toFloatArray());
            NDArray weights = m.randomUniform(-1, 1, new Shape(e, 4));
            List<NDArray> trained = new ArrayList<>(List.of(x));
            if (layout.contains("R")) {
                trained.add(u);
            }
            trained.add(layer.getParameters().get("weight").getArray());
            trained.add(bias);
            float[][] before = new float[trained.size() + 1][];
            float[][] after = new float[trained.size() + 1][];
            for (int pass = 0; pass < 2; pass++) {
                float[][] out = pass == 0 ? before : after;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ParameterStore ps = new ParameterStore(m, false);
                    NDArray y;
                    if (pass == 0) {
                        NDArray concat = null;
                        for (GraphOps.Part part : parts) {
                            NDArray block =
                                    part.index() == null
                                            ? part.x()
                                            : GraphOps.gather(part.x(), part.index());
                            concat = concat == null ? block : concat.concat(block, 1);
                        }
                        y = layer.forward(ps, new NDList(concat), true).singletonOrThrow();
                    } else {
                        y = GraphOps.linearOfConcat(layer, ps, parts, true);
                    }
                    out[0] = y.toFloatArray();
                    gc.backward(y.mul(weights).sum());
                }
                for (int t = 0; t < trained.size(); t++) {
                    out[t + 1] = trained.get(t).getGradient().toFloatArray();
                }
            }
            assertArrayEquals(before[0], after[0], 1e-5f);
            for (int t = 1; t < before.length; t++) {
                float[] second = after[t].clone(); // gradients accumulate over the two passes
                for (int k = 0; k < second.length; k++) {
                    second[k] -= before[t][k];
                }
                assertArrayEquals(before[t], second, 1e-4f, "gradient " + t);
            }
        }
    }

    @Test
    void linearOfConcatRefusesPartsOfAnotherWidth() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear layer = Linear.builder().setUnits(2).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 5));
            NDArray x = m.ones(new Shape(3, 4));
            IllegalArgumentException thrown =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    GraphOps.linearOfConcat(
                                            layer,
                                            new ParameterStore(m, false),
                                            List.of(GraphOps.Part.rows(x)),
                                            false));
            assertTrue(thrown.getMessage().contains("4 columns wide"), thrown.getMessage());
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
