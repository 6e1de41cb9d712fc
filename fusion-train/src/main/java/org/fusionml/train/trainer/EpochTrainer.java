package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.head.EvidentialOutput;
import org.fusionml.models.head.Losses;

/**
 * Trains one epoch batch by batch: forward, loss in standard units, backward and the decoupled
 * AdamW step. Stops the run ({@link TrainingDivergedException}) on a non-finite loss or after
 * {@link #MAX_SKIPPED_IN_A_ROW} batches in a row whose non-finite gradients skipped the update; the
 * count of such batches is kept across epochs (and runs) of one {@link GraphTrainer}.
 */
final class EpochTrainer {
    /**
     * Consecutive batches with non-finite gradients (each update skipped) after which training
     * stops.
     */
    static final int MAX_SKIPPED_IN_A_ROW = 5;

    private final TrainConfig config;
    private final PrintWriter log;
    private int skippedInARow;

    EpochTrainer(TrainConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Trains epoch {@code epoch} (0-based) over the training part in {@link
     * GraphTrainer#epochOrder}; returns the mean training loss of its batches (NaN for none).
     */
    double runEpoch(TrainingSession s, int epoch) {
        TrainSettings tc = config.train();
        int[] order = GraphTrainer.epochOrder(s.split().train(), tc.seed(), epoch);
        double total = 0;
        int batches = 0;
        Progress bar =
                new Progress(
                        String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, tc.epochs()),
                        order.length,
                        log,
                        false);
        for (int start = 0; start < order.length; start += tc.batchSize()) {
            bar.update(start);
            int[] idx =
                    Arrays.copyOfRange(
                            order, start, Math.min(order.length, start + tc.batchSize()));
            if (idx.length < 2) {
                continue; // batch norm needs two structures
            }
            float[] y = standardizedTargets(s, idx);
            try (EngineGate.Section work = EngineGate.jvm().enter();
                    NDManager m = s.trainer().getManager().newSubManager()) {
                double value = forwardAndBackward(s, m, idx, y, epoch, batches);
                total += value;
                batches++;
                step(s, m, epoch, batches);
            }
        }
        bar.update(order.length);
        return batches == 0 ? Double.NaN : total / batches;
    }

    private static float[] standardizedTargets(TrainingSession s, int[] idx) {
        float[] y = new float[idx.length];
        for (int k = 0; k < idx.length; k++) {
            y[k] = (float) s.z().standardize(s.targets()[idx[k]]);
        }
        return y;
    }

    /**
     * Runs the batch {@code idx} forward, computes its loss against {@code y} and the gradients;
     * returns the loss.
     *
     * @param batchesDone the batches of this epoch trained before this one
     */
    private double forwardAndBackward(
            TrainingSession s, NDManager m, int[] idx, float[] y, int epoch, int batchesDone) {
        Trainer trainer = s.trainer();
        GraphBatch b = GraphBatch.of(m, GraphModel.pick(s.samples(), idx));
        NDArray target = m.create(y);
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray raw = trainer.forward(b.toNDList()).singletonOrThrow();
            NDArray loss = loss(s.model(), raw, target);
            double value = loss.getFloat();
            if (!Double.isFinite(value)) {
                throw nonFiniteLoss(raw, value, epoch, batchesDone);
            }
            gc.backward(loss);
            return value;
        }
    }

    /** The failure for a non-finite loss, with what the network's outputs looked like. */
    private static TrainingDivergedException nonFiniteLoss(
            NDArray raw, double value, int epoch, int batchesDone) {
        float[] r = raw.toFloatArray();
        int bad = 0;
        float largest = 0;
        for (float v : r) {
            bad += Float.isFinite(v) ? 0 : 1;
            largest = Float.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
        }
        return new TrainingDivergedException(
                String.format(
                        Locale.ROOT,
                        "non-finite loss (%s) at epoch %d, batch %d (%d non-finite"
                                + " of %d network outputs, largest finite |output|"
                                + " %.3g)",
                        value,
                        epoch + 1,
                        batchesDone + 1,
                        bad,
                        r.length,
                        largest));
    }

    /**
     * The optimizer's step on the gradients just computed, skipped (and counted) when some are not
     * finite.
     *
     * @param batch the batch's number in its epoch (1-based)
     */
    private void step(TrainingSession s, NDManager m, int epoch, int batch) {
        Gradients.Check check = s.optimizer().update(m, config.train().gradClip());
        if (check.finite()) {
            skippedInARow = 0;
            return;
        }
        skippedInARow++;
        log.printf(
                Locale.ROOT,
                "epoch %d, batch %d: non-finite gradient in %d parameter(s), first %s;"
                        + " update skipped%n",
                epoch + 1,
                batch,
                check.nonFinite().size(),
                check.nonFinite().get(0));
        if (skippedInARow >= MAX_SKIPPED_IN_A_ROW) {
            throw new TrainingDivergedException(
                    String.format(
                            Locale.ROOT,
                            "non-finite gradients in %d batches in a row (epoch %d,"
                                    + " batch %d; first %s)",
                            skippedInARow,
                            epoch + 1,
                            batch,
                            check.nonFinite().get(0)));
        }
    }

    private NDArray loss(GraphModel model, NDArray raw, NDArray target) {
        LossSettings lc = config.loss();
        if (model.evidential()) {
            EvidentialOutput o = EvidentialOutput.fromRaw(raw);
            return switch (lc.type()) {
                case "der" -> Losses.der(o, target, lc.lambda().floatValue());
                case "mse" -> Losses.mse(o.gamma(), target);
                default -> Losses.mae(o.gamma(), target);
            };
        }
        if (lc.type().equals("der")) {
            throw new IllegalArgumentException("loss.type der needs model.head evidential");
        }
        NDArray p = raw.reshape(-1);
        return lc.type().equals("mse") ? Losses.mse(p, target) : Losses.mae(p, target);
    }
}
