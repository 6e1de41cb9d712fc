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
    static final ParameterTracker VARYING = (id, step) -> 0.01f * (1 + step % 3);

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
}
