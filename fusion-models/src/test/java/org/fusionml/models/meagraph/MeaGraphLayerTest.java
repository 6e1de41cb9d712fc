package org.fusionml.models.meagraph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.fusionml.models.FiniteDifferences;
import org.fusionml.models.ops.GraphOps;
import org.junit.jupiter.api.Test;

class MeaGraphLayerTest {
    private static final int N = 5;
    private static final int F_IN = 4;
    private static final int F_OUT = 3;
    private static final int K = 2;
    private static final int[] SRC = {1, 2, 0, 3, 4, 0, 2, 1};
    private static final int[] DST = {0, 0, 1, 1, 1, 2, 3, 4};

    @Test
    void forwardMatchesTheFormulaComputedByHand() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] x = random(rng, N * F_IN);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            MeaGraphLayer layer =
                    MeaGraphLayer.builder()
                            .setInFeatures(F_IN)
                            .setOutFeatures(F_OUT)
                            .optKernels(K)
                            .build();
            layer.initialize(
                    m,
                    DataType.FLOAT64,
                    new Shape(N, F_IN),
                    new Shape(SRC.length),
                    new Shape(SRC.length),
                    new Shape(N, SRC.length));
            // betas away from their start so that the test sees where beta enters
            param(layer, "beta_0").getArray().set(new double[] {0.7});
            param(layer, "beta_1").getArray().set(new double[] {1.9});
            NDList out =
                    layer.forward(
                            new ParameterStore(m, false),
                            inputs(m, m.create(x, new Shape(N, F_IN))),
                            false);

            double[][] sum = new double[N][F_OUT];
            double[] attention = new double[SRC.length];
            for (int k = 0; k < K; k++) {
                double[][] w =
                        matrix(
                                param(layer, "kernel_" + k + "_weight").getArray().toDoubleArray(),
                                F_OUT,
                                F_IN);
                double beta = param(layer, "beta_" + k).getArray().getDouble(0);
                double[][] z = new double[N][F_OUT];
                for (int i = 0; i < N; i++) {
                    for (int o = 0; o < F_OUT; o++) {
                        for (int c = 0; c < F_IN; c++) {
                            z[i][o] += w[o][c] * x[i * F_IN + c];
                        }
                    }
                }
                double[] norm = new double[F_OUT];
                for (double[] row : z) {
                    for (int o = 0; o < F_OUT; o++) {
                        norm[o] += row[o] * row[o];
                    }
                }
                double[] a = new double[SRC.length];
                double[] denom = new double[N];
                for (int e = 0; e < SRC.length; e++) {
                    double d2 = 0;
                    for (int o = 0; o < F_OUT; o++) {
                        double diff = (z[DST[e]][o] - z[SRC[e]][o]) / Math.sqrt(norm[o]);
                        d2 += diff * diff;
                    }
                    a[e] = Math.exp(-beta * Math.sqrt(d2 + 1e-12));
                    denom[DST[e]] += a[e];
                }
                double[][] agg = new double[N][F_OUT];
                for (int e = 0; e < SRC.length; e++) {
                    for (int o = 0; o < F_OUT; o++) {
                        agg[DST[e]][o] += a[e] / (denom[DST[e]] + 1e-12) * z[SRC[e]][o];
                    }
                    attention[e] += a[e] / (denom[DST[e]] + 1e-12) / K;
                }
                for (int i = 0; i < N; i++) {
                    for (int o = 0; o < F_OUT; o++) {
                        double v = agg[i][o] + z[i][o];
                        sum[i][o] += (v > 0 ? v : 0.01 * v) / K;
                    }
                }
            }
            double[][] mix =
                    matrix(param(layer, "mix_weight").getArray().toDoubleArray(), F_OUT, F_OUT);
            double[] bias = param(layer, "mix_bias").getArray().toDoubleArray();
            double[] expected = new double[N * F_OUT];
            for (int i = 0; i < N; i++) {
                for (int o = 0; o < F_OUT; o++) {
                    expected[i * F_OUT + o] = bias[o];
                    for (int c = 0; c < F_OUT; c++) {
                        expected[i * F_OUT + o] += mix[o][c] * sum[i][c];
                    }
                }
            }
            assertArrayEquals(
                    expected,
                    out.get(0).toDoubleArray(),
                    1e-9); // the layer's constants are float32
            assertArrayEquals(attention, out.get(1).toDoubleArray(), 1e-9);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(7);
        double[] x0 = random(rng, N * F_IN);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            MeaGraphLayer layer =
                    MeaGraphLayer.builder()
                            .setInFeatures(F_IN)
                            .setOutFeatures(F_OUT)
                            .optKernels(K)
                            .build();
            layer.initialize(
                    m,
                    DataType.FLOAT64,
                    new Shape(N, F_IN),
                    new Shape(SRC.length),
                    new Shape(SRC.length),
                    new Shape(N, SRC.length));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray wh = m.create(random(rng, N * F_OUT), new Shape(N, F_OUT));
            NDArray wa = m.create(random(rng, SRC.length));
            Function<NDArray, NDArray> loss =
                    x -> {
                        NDList out = layer.forward(ps, inputs(m, x), true);
                        return out.get(0).mul(wh).sum().add(out.get(1).mul(wa).sum());
                    };
            NDArray x = m.create(x0, new Shape(N, F_IN));
            x.setRequiresGradient(true);
            Parameter beta = param(layer, "beta_1");
            double[] gx;
            double gBeta;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss.apply(x));
                gx = x.getGradient().toDoubleArray();
                gBeta = beta.getArray().getGradient().getDouble(0);
            }
            double step = 1e-6;
            double[] fd =
                    FiniteDifferences.gradient(
                            x0, p -> loss.apply(m.create(p, new Shape(N, F_IN))).getDouble(), step);
            for (int k = 0; k < x0.length; k++) {
                assertEquals(fd[k], gx[k], 1e-6 * Math.max(1, Math.abs(fd[k])), "dL/dx[" + k + "]");
            }
            double b0 = beta.getArray().getDouble(0);
            beta.getArray().set(new double[] {b0 + step});
            double up = loss.apply(m.create(x0, new Shape(N, F_IN))).getDouble();
            beta.getArray().set(new double[] {b0 - step});
            double down = loss.apply(m.create(x0, new Shape(N, F_IN))).getDouble();
            assertEquals(
                    (up - down) / (2 * step),
                    gBeta,
                    1e-6 * Math.max(1, Math.abs(gBeta)),
                    "dL/dbeta");
        }
    }

    @Test
    void edgePruningKeepsAttentionAtOrAboveTheNodeMeanAndEverythingWhenEqual() {
        // node 0: three incoming edges (mean 1/3); node 1: one edge (always kept); node 2: two
        // equal edges
        float third = 1f / 3;
        assertArrayEquals(
                new boolean[] {false, true, false, true, true, true},
                MeaGraphBlock.keepAboveNodeMean(
                        new float[] {0.2f, 0.5f, 0.3f, 1f, 0.5f, 0.5f},
                        new int[] {0, 0, 0, 1, 2, 2},
                        3));
        assertArrayEquals(
                new boolean[] {true, true, true},
                MeaGraphBlock.keepAboveNodeMean(
                        new float[] {third, third, third}, new int[] {0, 0, 0}, 1));
    }

    private static NDList inputs(NDManager m, NDArray x) {
        return new NDList(
                x,
                GraphOps.index(m, SRC),
                GraphOps.index(m, DST),
                GraphOps.segmentSum(m, DST, N).toType(DataType.FLOAT64, false));
    }

    private static Parameter param(MeaGraphLayer layer, String name) {
        // child parameters carry a numeric prefix, e.g. "01kernel_0_weight"
        return layer.getParameters().stream()
                .filter(p -> p.getKey().replaceFirst("^\\d+", "").equals(name))
                .findFirst()
                .orElseThrow()
                .getValue();
    }

    private static double[][] matrix(double[] flat, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * cols, out[r], 0, cols);
        }
        return out;
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }
}
