package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.ParameterTracker;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.PairList;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DecoupledAdamWTest {
    /** A learning rate that changes every step. */
    private static final ParameterTracker VARYING = (id, step) -> 0.01f * (1 + step % 3);

    /** Odd sizes (5 -> 7 -> 3): vectorised loops and their scalar tails both run. */
    private static Block mlp() {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(7).build())
                .add(BatchNorm.builder().build())
                .add(Linear.builder().setUnits(3).build());
    }

    /**
     * Trains {@code block} for {@code steps} steps of mean squared error on fixed data, each step
     * taken by {@code step(trainer, stepManager)}; returns the parameters after every step.
     */
    private static List<float[]> train(
            Block block,
            Shape input,
            int steps,
            Function<Trainer, BiConsumer<Trainer, NDManager>> stepper) {
        return train(block, input, steps, new DefaultTrainingConfig(Loss.l2Loss()), stepper);
    }

    private static List<float[]> train(
            Block block,
            Shape input,
            int steps,
            DefaultTrainingConfig config,
            Function<Trainer, BiConsumer<Trainer, NDManager>> stepper) {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Model.newInstance("m")) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(input);
                BiConsumer<Trainer, NDManager> step = stepper.apply(trainer);
                NDManager m0 = trainer.getManager();
                NDArray x = m0.randomNormal(input);
                List<float[]> trajectory = new ArrayList<>();
                for (int s = 0; s < steps; s++) {
                    try (NDManager m = m0.newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray p = trainer.forward(new NDList(x)).singletonOrThrow();
                            gc.backward(p.sub(Math.sin(s)).square().mean());
                        }
                        step.accept(trainer, m);
                    }
                    List<Float> all = new ArrayList<>();
                    for (var p : block.getParameters()) {
                        for (float v : p.getValue().getArray().toFloatArray()) {
                            all.add(v);
                        }
                    }
                    float[] f = new float[all.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = all.get(i);
                    }
                    trajectory.add(f);
                }
                return trajectory;
            }
        }
    }

    private static BiConsumer<Trainer, NDManager> ours(Trainer trainer, float weightDecay) {
        PairList<String, Parameter> params = trainer.getModel().getBlock().getParameters();
        DecoupledAdamW opt =
                DecoupledAdamW.builder()
                        .setParameters(new FlatParameters(params))
                        .optLearningRateTracker(VARYING)
                        .optWeightDecay(weightDecay)
                        .optNoDecay(DecoupledAdamW.biasesAndNorms(params))
                        .build();
        return (t, m) -> opt.update(m, 0);
    }

    /**
     * PyTorch's single-tensor AdamW written out per parameter with DJL's number overloads (what
     * this class did before it worked on the whole vector): the reference for the bitwise test.
     */
    private static BiConsumer<Trainer, NDManager> perParameter(Trainer trainer, float weightDecay) {
        PairList<String, Parameter> params = trainer.getModel().getBlock().getParameters();
        Set<String> noDecay = DecoupledAdamW.biasesAndNorms(params);
        Map<String, NDArray[]> moments = new HashMap<>();
        int[] t = {0};
        return (tr, m) -> {
            t[0]++;
            float lr = VARYING.getNewValue("", t[0] - 1);
            float c1 = (float) (1 - Math.pow(0.9f, t[0]));
            float c2Root = (float) Math.sqrt(1 - Math.pow(0.999f, t[0]));
            for (var p : params) {
                NDArray w = p.getValue().getArray();
                if (!w.hasGradient()) {
                    continue; // BatchNorm's running statistics
                }
                NDArray[] mv =
                        moments.computeIfAbsent(
                                p.getKey(), k -> new NDArray[] {w.zerosLike(), w.zerosLike()});
                if (!noDecay.contains(p.getKey())) {
                    w.muli(1 - lr * weightDecay);
                }
                try (NDArray g = w.getGradient();
                        NDArray gScaled = g.mul(1 - 0.9f);
                        NDArray g2 = g.square()) {
                    mv[0].muli(0.9f).addi(gScaled);
                    mv[1].muli(0.999f).addi(g2.muli(1 - 0.999f));
                }
                try (NDArray denominator = mv[1].sqrt();
                        NDArray step = mv[0].div(denominator.divi(c2Root).addi(1e-8f))) {
                    w.subi(step.muli(lr / c1));
                }
                JniUtils.zeroGrad((PtNDArray) w);
            }
        };
    }

    /**
     * The vector form changes nothing in the arithmetic: every parameter equals the per-parameter
     * update's, bit for bit.
     */
    @Test
    void theVectorStepIsThePerParameterStepBitForBit() {
        Shape input = new Shape(6, 5);
        List<float[]> vector = train(mlp(), input, 6, tr -> ours(tr, 0.05f));
        List<float[]> single = train(mlp(), input, 6, tr -> perParameter(tr, 0.05f));
        for (int s = 0; s < vector.size(); s++) {
            assertArrayEquals(single.get(s), vector.get(s), 0f, "step " + (s + 1));
        }
        // 80 trained elements, and BatchNorm's running mean and variance (7 + 7), which no
        // optimiser touches
        assertEquals(35 + 7 + 7 + 7 + 7 + 7 + 21 + 3, vector.get(0).length);
    }

    /** Without weight decay the update is DJL's Adam; gradients must not pile up across steps. */
    @Test
    void withoutDecayItFollowsAdamStepForStep() {
        Shape input = new Shape(4, 3);
        List<float[]> mine =
                train(
                        Linear.builder().setUnits(1).optBias(false).build(),
                        input,
                        60,
                        tr -> {
                            DecoupledAdamW opt =
                                    DecoupledAdamW.builder()
                                            .setParameters(
                                                    new FlatParameters(
                                                            tr.getModel()
                                                                    .getBlock()
                                                                    .getParameters()))
                                            .optLearningRateTracker(Schedules.constant(0.05f))
                                            .optWeightDecay(0)
                                            .build();
                            return (t, m) -> opt.update(m, 0);
                        });
        Optimizer djlAdam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build();
        List<float[]> adam =
                train(
                        Linear.builder().setUnits(1).optBias(false).build(),
                        input,
                        60,
                        new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(djlAdam),
                        tr -> (t, m) -> t.step());
        for (int s = 0; s < adam.size(); s++) {
            assertArrayEquals(adam.get(s), mine.get(s), 1e-5f, "step " + (s + 1));
        }
        assertEquals(true, Math.abs(mine.get(59)[0] - mine.get(0)[0]) > 0.1, "it moved");
    }

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
                                .optLearningRateTracker(VARYING)
                                .optBeta1Tracker(beta1)
                                .optWeightDecay(wd)
                                .optNoDecay(Set.of("bias"))
                                .build();
                double[] ref = {1, -2, 0.5, 0.25};
                double[] mean = new double[4];
                double[] var = new double[4];
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
                    for (int i = 0; i < 4; i++) {
                        double g = i < 3 ? grads[t - 1][i] : biasGrads[t - 1];
                        if (i < 3) {
                            ref[i] *= 1 - lr * wd;
                        }
                        double b1 = beta1.getNewValue("", t - 1);
                        mean[i] = b1 * mean[i] + (1 - b1) * g;
                        var[i] = 0.999 * var[i] + 0.001 * g * g;
                        double mHat = mean[i] / (1 - Math.pow(b1, t));
                        double denominator = Math.sqrt(var[i] / (1 - Math.pow(0.999, t))) + 1e-8;
                        ref[i] -= lr * mHat / denominator;
                    }
                    float[] got = {
                        w.getFloat(0, 0), w.getFloat(0, 1), w.getFloat(0, 2), b.getFloat(0)
                    };
                    for (int i = 0; i < 4; i++) {
                        assertEquals(
                                ref[i],
                                got[i],
                                2e-6 * Math.max(1, Math.abs(ref[i])),
                                (i < 3 ? "weight" : "bias") + " step " + t + " element " + i);
                    }
                }
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

    /** Arrays in {@code manager} and, recursively, in its sub-managers. */
    private static int arrays(NDManager manager) throws ReflectiveOperationException {
        Field resources = BaseNDManager.class.getDeclaredField("resources");
        resources.setAccessible(true);
        int n = 0;
        for (Object r : ((Map<?, ?>) resources.get(manager)).values()) {
            n += r instanceof NDManager sub ? arrays(sub) : 1;
        }
        return n;
    }

    /**
     * The update leaves no array behind in the model's managers (open for the whole training): an
     * earlier version leaked every step's temporaries, ~150 MB per epoch of the small ALIGNN, and a
     * 300-epoch run was killed for memory.
     */
    @Test
    void updatesLeaveNoArraysBehind() throws Exception {
        try (Model model = Model.newInstance("m")) {
            model.setBlock(mlp());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                Shape input = new Shape(6, 5);
                trainer.initialize(input);
                DecoupledAdamW opt =
                        DecoupledAdamW.builder()
                                .setParameters(new FlatParameters(model.getBlock().getParameters()))
                                .optLearningRateTracker(VARYING)
                                .optWeightDecay(0.1f)
                                .build();
                float[] x = new float[(int) input.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) Math.sin(i);
                }
                int after1 = 0;
                for (int step = 0; step < 20; step++) {
                    // The input in the step's manager: the forward's intermediates and backward's
                    // seed land there too.
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector();
                                NDArray p =
                                        trainer.forward(new NDList(m.create(x, input)))
                                                .singletonOrThrow()) {
                            gc.backward(p.sum());
                        }
                        opt.update(m, 0);
                    }
                    if (step == 0) {
                        after1 = arrays(model.getNDManager()); // the first update creates the
                        // two moment vectors
                    }
                }
                assertEquals(
                        after1,
                        arrays(model.getNDManager()),
                        "arrays left in the model's managers by 19 updates");
            }
        }
    }

    /** A mistyped exemption would silently decay the parameter: it is an error. */
    @Test
    void anExemptionNamingNoParameterIsAnError() {
        try (Model model = Model.newInstance("lin")) {
            model.setBlock(Linear.builder().setUnits(1).build());
            model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
            model.getBlock()
                    .getParameters()
                    .forEach(p -> p.getValue().getArray().setRequiresGradient(true));
            FlatParameters params = new FlatParameters(model.getBlock().getParameters());
            var e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DecoupledAdamW.builder()
                                            .setParameters(params)
                                            .optNoDecay(Set.of("bias", "biass"))
                                            .build());
            assertEquals(
                    "no trained parameter is named [biass] (exempt from weight decay)",
                    e.getMessage());
            DecoupledAdamW.builder().setParameters(params).optNoDecay(Set.of("bias")).build();
        }
    }

    /**
     * Learning rate and beta1 of every step of PyTorch's {@code OneCycleLR} (torch 1.13, max_lr
     * 1e-3, defaults otherwise, on AdamW), for 14 steps (one epoch of the small configuration) and
     * for 3 (the warm-up shorter than one step): the rate peaks at step 0.3 T - 1 and reaches max /
     * 2.5e5 at the last step T - 1.
     */
    @Test
    void oneCycleIsPyTorchsOneCycleLrStepByStep() {
        double[] lr14 = {
            4.000000000e-05,
            2.533262882e-04,
            7.036880475e-04,
            9.907769346e-04,
            9.836474969e-04,
            9.190443763e-04,
            8.117456539e-04,
            6.726838365e-04,
            5.160277247e-04,
            3.577387757e-04,
            2.139448142e-04,
            9.929679189e-05,
            2.547602461e-05,
            4.000000000e-09
        };
        double[] beta14 = {
            0.950000000,
            0.927778512,
            0.880865828,
            0.850960736,
            0.851635257,
            0.858095595,
            0.868825510,
            0.882731747,
            0.898397421,
            0.914226379,
            0.928605833,
            0.940070681,
            0.947452787,
            0.950000000
        };
        double[] lr3 = {9.944154355e-04, 4.626371027e-04, 4.000000000e-09};
        double[] beta3 = {0.850558459, 0.903736505, 0.950000000};
        assertSchedule(lr14, Schedules.oneCycle(1e-3f, 14), 2e-6);
        assertSchedule(beta14, Schedules.oneCycleBeta1(14), 1e-6);
        assertSchedule(lr3, Schedules.oneCycle(1e-3f, 3), 2e-6);
        assertSchedule(beta3, Schedules.oneCycleBeta1(3), 1e-6);
        assertEquals(
                4e-9f,
                Schedules.oneCycle(1e-3f, 14).getNewValue("w", 20),
                1e-15f,
                "past the last step it stays at the end value");
        assertEquals(0f, Schedules.cosine(1f, 10).getNewValue("w", 10), 1e-7f);
    }

    private static void assertSchedule(
            double[] pytorch, ParameterTracker schedule, double relative) {
        for (int step = 0; step < pytorch.length; step++) {
            assertEquals(
                    pytorch[step],
                    schedule.getNewValue("w", step),
                    relative * pytorch[step],
                    "step " + step);
        }
    }
}
