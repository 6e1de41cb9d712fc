package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.util.PairList;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decoupled AdamW against PyTorch's AdamW, computed here from its definition. */
class DecoupledAdamWPyTorchTest {
    /**
     * With weight decay, PyTorch's AdamW step for step, computed here in double from its definition
     * (w <- w (1 - lr wd), then the bias-corrected Adam step with eps added to sqrt(v^)), for a
     * fixed sequence of gradients of both signs and a learning rate that changes every step; the
     * bias, exempt from decay, gets the plain Adam step.
     */
    @Test
    void withDecayItIsPyTorchsAdamW() {
        matchesPyTorchsAdamW(Schedules.constant(0.9f));
    }

    /**
     * With beta1 changing every step (as one-cycle with cycled momentum makes it), PyTorch's AdamW
     * with the current beta1 in the moment update and in the bias correction 1 - beta1^t.
     */
    @Test
    void withACycledBeta1ItIsPyTorchsAdamW() {
        matchesPyTorchsAdamW((id, step) -> 0.85f + 0.05f * (step % 3));
    }

    private static void matchesPyTorchsAdamW(ParameterTracker beta1) {
        float wd = 0.1f;
        double[][] grads = {
            {0.3, -1, 2}, {-0.5, 0.2, 1e-3}, {4, 0, -2}, {0.1, 0.1, 0.1}, {-3, 2, 1}
        };
        double[] biasGrads = {0.5, -2, 1e-4, 3, -0.7};
        try (Model model = Model.newInstance("lin")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(1, 3));
                PairList<String, Parameter> params = model.getBlock().getParameters();
                NDArray w = params.get("weight").getArray();
                NDArray b = params.get("bias").getArray();
                w.set(new float[] {1, -2, 0.5f});
                b.set(new float[] {0.25f});
                DecoupledAdamW opt =
                        DecoupledAdamW.builder()
                                .setParameters(new FlatParameters(params))
                                .optLearningRateTracker(DecoupledAdamWTest.VARYING)
                                .optBeta1Tracker(beta1)
                                .optWeightDecay(wd)
                                .optNoDecay(Set.of("bias"))
                                .build();
                PyTorchAdamW ref = new PyTorchAdamW(new double[] {1, -2, 0.5, 0.25}, wd, beta1);
                for (int t = 1; t <= grads.length; t++) {
                    double lr = 0.01f * (1 + (t - 1) % 3);
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        // loss = sum(w * gw) + b * gb: gradients exactly gw and gb
                        NDArray gw = m.create(toFloat(grads[t - 1])).reshape(1, 3);
                        NDArray gb = m.create(new float[] {(float) biasGrads[t - 1]});
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            gc.backward(w.mul(gw).sum().add(b.mul(gb).sum()));
                        }
                        opt.update(m, 0);
                    }
                    ref.step(grads[t - 1], biasGrads[t - 1], lr, t);
                    float[] got = {
                        w.getFloat(0, 0), w.getFloat(0, 1), w.getFloat(0, 2), b.getFloat(0)
                    };
                    for (int i = 0; i < 4; i++) {
                        assertEquals(
                                ref.params[i],
                                got[i],
                                2e-6 * Math.max(1, Math.abs(ref.params[i])),
                                (i < 3 ? "weight" : "bias") + " step " + t + " element " + i);
                    }
                }
            }
        }
    }

    /**
     * PyTorch's AdamW computed in double from its definition, on three weights (decayed) and a bias
     * (exempt from decay).
     */
    private static final class PyTorchAdamW {
        final double[] params;
        final double[] mean = new double[4];
        final double[] var = new double[4];
        final float wd;
        final ParameterTracker beta1;

        PyTorchAdamW(double[] params, float wd, ParameterTracker beta1) {
            this.params = params;
            this.wd = wd;
            this.beta1 = beta1;
        }

        /** Step {@code t} (1-based) with the weights' gradients {@code gw} and the bias's. */
        void step(double[] gw, double gb, double lr, int t) {
            for (int i = 0; i < 4; i++) {
                double g = i < 3 ? gw[i] : gb;
                if (i < 3) {
                    params[i] *= 1 - lr * wd;
                }
                double b1 = beta1.getNewValue("", t - 1);
                mean[i] = b1 * mean[i] + (1 - b1) * g;
                var[i] = 0.999 * var[i] + 0.001 * g * g;
                double mHat = mean[i] / (1 - Math.pow(b1, t));
                double denominator = Math.sqrt(var[i] / (1 - Math.pow(0.999, t))) + 1e-8;
                params[i] -= lr * mHat / denominator;
            }
        }
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }
}
