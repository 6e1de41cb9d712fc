package org.fusionml.models.layers;

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
        int[] src = new int[e];
        int[] dst = new int[e];
        for (int k = 0; k < e; k++) {
            src[k] = rng.nextInt(n);
            dst[k] = (src[k] + 1 + rng.nextInt(n - 1)) % n;
        }
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

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }
}
