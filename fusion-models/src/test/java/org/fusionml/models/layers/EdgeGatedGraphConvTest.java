package org.fusionml.models.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import org.fusionml.models.FiniteDifferences;
import org.fusionml.models.ops.GraphOps;
import org.junit.jupiter.api.Test;

class EdgeGatedGraphConvTest {
    @Test
    void inputGradientsMatchFiniteDifferences() {
        int n = 5;
        int e = 12;
        int f = 3;
        SplittableRandom rng = new SplittableRandom(2);
        int[][] edges = randomEdges(rng, n, e);
        int[] src = edges[0];
        int[] dst = edges[1];
        double[] h0 = random(rng, n * f);
        double[] e0 = random(rng, e * f);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            EdgeGatedGraphConv conv = EdgeGatedGraphConv.builder().setFeatures(f).build();
            conv.initialize(m, DataType.FLOAT64, new Shape(1, f), new Shape(1, f));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray srcNd = GraphOps.index(m, src);
            NDArray dstNd = GraphOps.index(m, dst);
            NDArray sum = GraphOps.segmentSum(m, dst, n).toType(DataType.FLOAT64, false);
            NDArray wh = m.create(random(rng, n * f), new Shape(n, f));
            NDArray we = m.create(random(rng, e * f), new Shape(e, f));
            BiFunction<NDArray, NDArray, NDArray> loss =
                    (h, ed) -> {
                        NDList out = conv.apply(ps, h, ed, srcNd, dstNd, sum, true);
                        return out.get(0).mul(wh).sum().add(out.get(1).mul(we).sum());
                    };
            NDArray h = m.create(h0, new Shape(n, f));
            NDArray ed = m.create(e0, new Shape(e, f));
            h.setRequiresGradient(true);
            ed.setRequiresGradient(true);
            double[] gh;
            double[] ge;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.apply(h, ed));
                gh = h.getGradient().toDoubleArray();
                ge = ed.getGradient().toDoubleArray();
            }
            double step = 1e-6;
            double[] fdH =
                    FiniteDifferences.gradient(
                            h0,
                            p ->
                                    loss.apply(
                                                    m.create(p, new Shape(n, f)),
                                                    m.create(e0, new Shape(e, f)))
                                            .getDouble(),
                            step);
            for (int k = 0; k < h0.length; k++) {
                assertEquals(
                        fdH[k], gh[k], 1e-5 * Math.max(1, Math.abs(fdH[k])), "dL/dh[" + k + "]");
            }
            double[] fdE =
                    FiniteDifferences.gradient(
                            e0,
                            p ->
                                    loss.apply(
                                                    m.create(h0, new Shape(n, f)),
                                                    m.create(p, new Shape(e, f)))
                                            .getDouble(),
                            step);
            for (int k = 0; k < e0.length; k++) {
                assertEquals(
                        fdE[k], ge[k], 1e-5 * Math.max(1, Math.abs(fdE[k])), "dL/de[" + k + "]");
            }
        }
    }

    @Test
    void withoutTheEdgeOutputTheNodeOutputAndGradientsAreBitIdentical() {
        int n = 6;
        int e = 20;
        int f = 4;
        SplittableRandom rng = new SplittableRandom(5);
        int[][] edges = randomEdges(rng, n, e);
        int[] src = edges[0];
        int[] dst = edges[1];
        double[] h0 = random(rng, n * f);
        double[] e0 = random(rng, e * f);
        double[] w0 = random(rng, n * f);
        try (NDManager m = NDManager.newBaseManager()) {
            EdgeGatedGraphConv[] convs = new EdgeGatedGraphConv[2];
            for (int c = 0; c < 2; c++) {
                Engine.getInstance().setRandomSeed(7); // the same initial parameters
                convs[c] =
                        EdgeGatedGraphConv.builder().setFeatures(f).setEdgeOutput(c == 0).build();
                convs[c].initialize(m, DataType.FLOAT32, new Shape(1, f), new Shape(1, f));
            }
            assertEquals(convs[0].getParameters().size(), convs[1].getParameters().size());
            ParameterStore ps = new ParameterStore(m, false);
            NDArray srcNd = GraphOps.index(m, src);
            NDArray dstNd = GraphOps.index(m, dst);
            NDArray sum = GraphOps.segmentSum(m, dst, n);
            NDArray wh = m.create(w0, new Shape(n, f)).toType(DataType.FLOAT32, false);
            float[][] out = new float[2][];
            float[][] gradH = new float[2][];
            float[][] gradE = new float[2][];
            for (int c = 0; c < 2; c++) {
                NDArray h = m.create(h0, new Shape(n, f)).toType(DataType.FLOAT32, false);
                NDArray ed = m.create(e0, new Shape(e, f)).toType(DataType.FLOAT32, false);
                h.setRequiresGradient(true);
                ed.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDList result = convs[c].apply(ps, h, ed, srcNd, dstNd, sum, true);
                    assertEquals(c == 0 ? 2 : 1, result.size());
                    out[c] = result.get(0).toFloatArray();
                    gc.backward(result.get(0).mul(wh).sum());
                    gradH[c] = h.getGradient().toFloatArray();
                    gradE[c] = ed.getGradient().toFloatArray();
                }
            }
            assertArrayEquals(out[0], out[1]);
            assertArrayEquals(gradH[0], gradH[1]);
            assertArrayEquals(gradE[0], gradE[1]);
            assertEquals(
                    1,
                    convs[1].getOutputShapes(new Shape[] {new Shape(n, f), new Shape(e, f)})
                            .length);
        }
    }

    /** {src, dst} of e random edges between n nodes, none a self-loop. */
    private static int[][] randomEdges(SplittableRandom rng, int n, int e) {
        int[] src = new int[e];
        int[] dst = new int[e];
        for (int k = 0; k < e; k++) {
            src[k] = rng.nextInt(n);
            dst[k] = (src[k] + 1 + rng.nextInt(n - 1)) % n;
        }
        return new int[][] {src, dst};
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }
}
