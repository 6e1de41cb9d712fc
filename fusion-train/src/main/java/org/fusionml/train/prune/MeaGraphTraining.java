package org.fusionml.train.prune;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import org.fusionml.models.meagraph.MeaGraphBlock;
import org.fusionml.models.meagraph.MeaGraphConfig;
import org.fusionml.train.trainer.EngineGate;

/**
 * Steps 3 and 4 of {@link MeaGraph}: trains the {@link MeaGraphBlock} autoencoder full-batch on one
 * similarity-band graph and reads back the edges its encoder keeps.
 */
final class MeaGraphTraining {
    private MeaGraphTraining() {}

    /**
     * The edges the trained encoder keeps.
     *
     * @param src [E] source of each kept directed edge
     * @param dst [E] destination of each kept directed edge
     * @param loss final reconstruction error (mean squared, on the normalised vectors)
     */
    record KeptEdges(int[] src, int[] dst, double loss) {}

    /**
     * Trains a seeded autoencoder on the nodes {@code x} [N][F] and the band edges {@code band}
     * ({src, dst}, not empty).
     */
    static KeptEdges train(double[][] x, int[][] band, MeaGraph.Settings settings, long seed) {
        int n = x.length;
        int f = x.length == 0 ? 0 : x[0].length;
        MeaGraphConfig config = new MeaGraphConfig(f, settings.hidden(), settings.kernels());
        Engine.getInstance().setRandomSeed((int) seed);
        try (Model model = Model.newInstance("meagraph")) {
            model.setBlock(config.newBlock());
            try (Trainer trainer = newTrainer(model, settings.learningRate())) {
                float[] flat = flattened(x, n, f);
                long[] src = Arrays.stream(band[0]).asLongStream().toArray();
                long[] dst = Arrays.stream(band[1]).asLongStream().toArray();
                try (EngineGate.Section work = EngineGate.jvm().enter()) {
                    trainer.initialize(
                            new Shape(n, f), new Shape(src.length), new Shape(dst.length));
                }
                double loss = Double.NaN;
                for (int epoch = 0; epoch < settings.epochs(); epoch++) {
                    try (EngineGate.Section work = EngineGate.jvm().enter()) {
                        loss = gradientStep(trainer, flat, n, f, src, dst, epoch);
                        trainer.step();
                    }
                }
                try (EngineGate.Section work = EngineGate.jvm().enter()) {
                    return keptEdges(trainer, flat, n, f, src, dst, loss);
                }
            }
        }
    }

    /** A trainer of the mean squared error with Adam at a fixed learning rate. */
    private static Trainer newTrainer(Model model, double learningRate) {
        Optimizer adam =
                Optimizer.adam()
                        .optLearningRateTracker(Tracker.fixed((float) learningRate))
                        .build();
        return model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam));
    }

    /** The rows of {@code x} [n][f] one after the other, as floats. */
    private static float[] flattened(double[][] x, int n, int f) {
        float[] flat = new float[n * f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                flat[i * f + j] = (float) x[i][j];
            }
        }
        return flat;
    }

    /**
     * Forward pass and gradients of the reconstruction error of one epoch (the optimiser step is
     * the caller's); returns that error.
     *
     * @throws IllegalStateException when it is not finite
     */
    private static double gradientStep(
            Trainer trainer, float[] flat, int n, int f, long[] src, long[] dst, int epoch) {
        // Everything of a step, intermediates included, lives in the step's manager.
        try (NDManager step = trainer.getManager().newSubManager();
                GradientCollector gc = trainer.newGradientCollector()) {
            NDArray input = step.create(flat, new Shape(n, f));
            NDList out = trainer.forward(new NDList(input, step.create(src), step.create(dst)));
            NDArray l = out.get("reconstruction").sub(input).square().mean();
            double loss = l.getFloat();
            if (!Double.isFinite(loss)) {
                throw new IllegalStateException(
                        "MEAGraph training diverged at epoch "
                                + (epoch + 1)
                                + " (loss "
                                + loss
                                + ")");
            }
            gc.backward(l);
            return loss;
        }
    }

    /** The edges the trained encoder keeps, read in evaluation mode. */
    private static KeptEdges keptEdges(
            Trainer trainer, float[] flat, int n, int f, long[] src, long[] dst, double loss) {
        try (NDManager step = trainer.getManager().newSubManager()) {
            NDList out =
                    trainer.evaluate(
                            new NDList(
                                    step.create(flat, new Shape(n, f)),
                                    step.create(src),
                                    step.create(dst)));
            return new KeptEdges(toInts(out.get("src")), toInts(out.get("dst")), loss);
        }
    }

    private static int[] toInts(NDArray indices) {
        return Arrays.stream(indices.toLongArray()).mapToInt(Math::toIntExact).toArray();
    }
}
