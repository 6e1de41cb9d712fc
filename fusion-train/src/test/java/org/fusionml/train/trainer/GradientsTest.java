package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class GradientsTest {
    /**
     * Sets up prediction = x w + b with w = (3, -4), b = 0 on x = identity [2, 2], runs backward of
     * {@code lossOfPrediction}, then {@code after(parameters, stepManager)}; returns what it
     * returns.
     */
    private static <T> T afterBackward(
            Function<NDArray, NDArray> lossOfPrediction,
            BiFunction<FlatParameters, NDManager, T> after) {
        try (Model model = Model.newInstance("lin")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(new Shape(2, 2));
                var params = model.getBlock().getParameters();
                params.get("weight").getArray().set(new float[] {3, -4});
                params.get("bias").getArray().set(new float[] {0});
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDArray x = m.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        gc.backward(
                                lossOfPrediction.apply(
                                        trainer.forward(new NDList(x)).singletonOrThrow()));
                    }
                    return after.apply(new FlatParameters(params), m);
                }
            }
        }
    }

    private record Clipped(Gradients.Check check, float[] gradient) {}

    /**
     * The gradient vector (weight, then bias) after {@link Gradients#clip} with {@code maxNorm}.
     */
    private static Clipped clipped(Function<NDArray, NDArray> lossOfPrediction, double maxNorm) {
        return afterBackward(
                lossOfPrediction,
                (parameters, m) -> {
                    NDArray g = parameters.gradient(m);
                    Gradients.Check check = Gradients.clip(parameters, g, maxNorm);
                    for (int i = 0;
                            i < 5;
                            i++) { // the vector must be engine memory, not a Java buffer freed by
                        // GC
                        System.gc();
                        byte[][] churn = new byte[64][];
                        for (int k = 0; k < churn.length; k++) {
                            churn[k] = new byte[1 << 16];
                        }
                    }
                    return new Clipped(check, g.toFloatArray());
                });
    }

    @Test
    void clipsTheGlobalNormAndLeavesSmallGradientsAlone() {
        // loss = sum(prediction): d/dw = column sums of x = (1, 1), d/db = 2; global norm sqrt(6).
        Clipped plain = clipped(p -> p.sum(), 0);
        assertArrayEquals(new float[] {1, 1, 2}, plain.gradient(), 1e-6f);
        assertTrue(plain.check().finite());
        assertEquals(Math.sqrt(6), plain.check().norm(), 1e-6);
        assertArrayEquals(new float[] {1, 1, 2}, clipped(p -> p.sum(), 10).gradient(), 1e-6f);
        float[] c = clipped(p -> p.sum(), 1).gradient();
        assertEquals(1, Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]), 1e-5);
        assertEquals(c[2], 2 * c[0], 1e-6, "direction kept");
    }

    /** sqrt has an infinite derivative at 0: the prediction 3 - 3 = 0 for the first row. */
    private static final Function<NDArray, NDArray> INFINITE_SLOPE =
            p -> p.sub(p.getManager().create(new float[] {3, -4}).reshape(2, 1)).sqrt().sum();

    @Test
    void aNonFiniteGradientIsNamedAndSkipsTheUpdateClearingTheGradients() {
        float[][] after =
                afterBackward(
                        INFINITE_SLOPE,
                        (parameters, m) -> {
                            DecoupledAdamW opt =
                                    DecoupledAdamW.builder()
                                            .setParameters(parameters)
                                            .optLearningRateTracker(Schedules.constant(0.1f))
                                            .build();
                            Gradients.Check check = opt.update(m, 0);
                            assertFalse(check.finite());
                            assertTrue(Double.isNaN(check.norm()));
                            assertEquals(List.of("weight", "bias"), check.nonFinite());
                            try (NDArray g = parameters.gradient(m)) {
                                return new float[][] {
                                    parameters.parameter(0).getArray().toFloatArray(),
                                    parameters.parameter(1).getArray().toFloatArray(),
                                    g.toFloatArray()
                                };
                            }
                        });
        assertArrayEquals(new float[] {3, -4}, after[0], 0f, "weight unchanged");
        assertArrayEquals(new float[] {0}, after[1], 0f, "bias unchanged");
        assertArrayEquals(new float[] {0, 0, 0}, after[2], 0f, "gradients cleared");
    }
}
