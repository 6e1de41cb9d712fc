package org.fusionml.train.trainer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.tracker.ParameterTracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.EvidentialOutput;
import org.fusionml.models.head.Losses;
import org.fusionml.models.layers.Initialization;

/**
 * Trains a graph model: standardised targets (loss in standard units, metrics in physical ones),
 * decoupled AdamW without decay on biases and norms, a per-batch schedule, early stopping on
 * validation MAE with restore of the best parameters, a checkpoint after every epoch from which an
 * interrupted run resumes, and a {@link RunDirectory}.
 *
 * <p>Resuming restores parameters, epoch, best-so-far, the schedule position and the Adam moments
 * (a checkpoint without saved moments starts them again from zero). A folder that holds a run with
 * other settings or another split is refused, never resumed.
 */
public final class GraphTrainer {
    /**
     * Consecutive batches with non-finite gradients (each update skipped) after which training
     * stops.
     */
    static final int MAX_SKIPPED_IN_A_ROW = 5;

    private final TrainConfig config;
    private final PrintWriter log;
    private final List<EpochListener> listeners = new ArrayList<>();
    private int skippedInARow;

    public GraphTrainer(TrainConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
    }

    /** Adds a listener told after every epoch's checkpoint (progress, tests that stop a run). */
    public GraphTrainer addEpochListener(EpochListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * The outcome of a run.
     *
     * @param validation metrics of the best parameters on the validation part
     * @param test metrics on the test part (null when it is empty)
     * @param bestEpoch epoch of the best validation MAE (1-based)
     * @param epochs epochs run
     * @param stopped why training stopped: "epochs", "early stopping" or the divergence message
     * @param trainTargetMean mean target of the training part (the standardisation mean)
     * @param meanPredictorTestMae MAE on the test part of always predicting the training mean
     */
    public record Result(
            Metrics validation,
            Metrics test,
            int bestEpoch,
            int epochs,
            String stopped,
            double trainTargetMean,
            double meanPredictorTestMae) {}

    /** Trains on {@code split} of {@code data}, writing into {@code runDir}. */
    public Result train(CrystalDataset data, Split split, Path runDir) throws IOException {
        return train(data, split, runDir, null);
    }

    /**
     * Trains as {@link #train(CrystalDataset, Split, Path)}, starting from parameters that {@code
     * start} writes into the initialised block (in place) instead of the configured initialisation;
     * null: the configured initialisation. Not called when the run resumes from a checkpoint.
     *
     * @throws org.fusionml.data.InvalidInputException when {@code runDir} holds a run with other
     *     settings
     */
    public Result train(CrystalDataset data, Split split, Path runDir, Consumer<Block> start)
            throws IOException {
        int[] train = split.train();
        int[] val = split.val();
        int[] test = split.test();
        if (train.length < 2 || val.length == 0) {
            throw new IllegalArgumentException(
                    "training needs at least 2 training and 1 validation structures, got "
                            + train.length
                            + " and "
                            + val.length);
        }
        RunDirectory run = new RunDirectory(runDir);
        String settingsHash = run.claim(config, train, val, test);
        TrainSettings tc = config.train();
        double[] targets = data.targets();
        Standardization z = Standardization.of(targets, train);
        Engine.getInstance().setRandomSeed((int) tc.seed().longValue());
        ai.djl.Device device = Devices.resolve(tc.device());
        try (GraphModel model =
                new GraphModel(config.model(), z, provenance(data, train.length), device)) {
            if (config.model().init().equals("pytorch")) {
                Initialization.pytorch(model.block());
            }
            List<GraphSample> samples =
                    model.samples(data.entries().stream().map(e -> e.structure()).toList());
            int batchesPerEpoch = (train.length + tc.batchSize() - 1) / tc.batchSize();
            int totalSteps = batchesPerEpoch * tc.epochs();
            // (DJL's trainer runs forward and backward; the step is DecoupledAdamW's, see runEpoch)
            DefaultTrainingConfig djl =
                    new DefaultTrainingConfig(Loss.l1Loss())
                            .optDevices(new ai.djl.Device[] {device});
            RunDirectory.Checkpoint cp = RunDirectory.Checkpoint.read(run);
            if (cp != null) {
                // Load before the trainer exists: its parameter store keeps the arrays it first
                // sees, so
                // parameters loaded later would be evaluated but never trained.
                model.block()
                        .initialize(
                                model.djlModel().getNDManager(),
                                ai.djl.ndarray.types.DataType.FLOAT32,
                                GraphBatchShapes.shapes());
                model.loadParameters(run.checkpointParams());
            }
            try (Trainer trainer = model.djlModel().newTrainer(djl)) {
                trainer.initialize(GraphBatchShapes.shapes());
                if (cp == null && start != null) {
                    start.accept(model.block());
                }
                DecoupledAdamW optimizer = optimizer(model, totalSteps);
                State state = new State(cp);
                if (cp != null) {
                    run.keepMetrics(cp.epoch());
                    if (Files.exists(run.checkpointOptimizer())) {
                        optimizer.loadState(run.checkpointOptimizer());
                    } else {
                        optimizer.setStepOffset(cp.epoch() * batchesPerEpoch);
                    }
                    log.printf(
                            Locale.ROOT,
                            "resuming after epoch %d (best validation MAE %.4f at epoch %d)%n",
                            cp.epoch(),
                            state.bestMae,
                            state.bestEpoch);
                }
                String stopped =
                        epochs(
                                run,
                                model,
                                trainer,
                                optimizer,
                                samples,
                                split,
                                targets,
                                z,
                                state,
                                settingsHash);
                return finish(run, model, data, samples, split, z, state, stopped);
            }
        }
    }

    /** Epochs done and the best validation MAE so far. */
    private static final class State {
        int epoch;
        double bestMae = Double.POSITIVE_INFINITY;
        int bestEpoch;

        State(RunDirectory.Checkpoint cp) {
            if (cp != null) {
                epoch = cp.epoch();
                bestMae = cp.bestValMae();
                bestEpoch = cp.bestEpoch();
            }
        }
    }

    private ObjectNode provenance(CrystalDataset data, int trainSize) {
        ObjectNode provenance = new ObjectMapper().createObjectNode();
        provenance.put("dataset_sha256", data.provenance().sha256());
        provenance.put("task", data.provenance().task());
        provenance.put("target", data.provenance().targetName());
        provenance.put("unit", data.provenance().unit());
        provenance.put("seed", config.train().seed());
        provenance.put("train_size", trainSize);
        return provenance;
    }

    private DecoupledAdamW optimizer(GraphModel model, int totalSteps) {
        TrainSettings tc = config.train();
        float lr = tc.learningRate().floatValue();
        ParameterTracker schedule =
                switch (tc.schedule()) {
                    case "onecycle" -> Schedules.oneCycle(lr, totalSteps);
                    case "cosine" -> Schedules.cosine(lr, totalSteps);
                    default -> Schedules.constant(lr);
                };
        return DecoupledAdamW.builder()
                .setParameters(new FlatParameters(model.block().getParameters()))
                .optLearningRateTracker(schedule)
                .optBeta1Tracker(
                        tc.cycleMomentum()
                                ? Schedules.oneCycleBeta1(totalSteps)
                                : Schedules.constant(DecoupledAdamW.BETA1))
                .optWeightDecay(tc.weightDecay().floatValue())
                .optNoDecay(DecoupledAdamW.biasesAndNorms(model.block().getParameters()))
                .build();
    }

    /**
     * Runs epochs until the configured number, early stopping or divergence, writing metrics, the
     * best parameters and a checkpoint after each. Returns why it stopped.
     */
    private String epochs(
            RunDirectory run,
            GraphModel model,
            Trainer trainer,
            DecoupledAdamW optimizer,
            List<GraphSample> samples,
            Split split,
            double[] targets,
            Standardization z,
            State state,
            String settingsHash)
            throws IOException {
        TrainSettings tc = config.train();
        int[] val = split.val();
        int startEpoch = state.epoch;
        long t0 = System.nanoTime();
        while (state.epoch < tc.epochs()) {
            // Checked before an epoch, so that a run resumed after it stopped early trains no
            // further.
            if (state.epoch - state.bestEpoch >= tc.patience()) {
                return "early stopping";
            }
            long te = System.nanoTime();
            double trainLoss;
            try {
                trainLoss =
                        runEpoch(
                                model,
                                trainer,
                                optimizer,
                                samples,
                                split.train(),
                                targets,
                                z,
                                state.epoch);
            } catch (TrainingDivergedException e) {
                log.println(
                        "training stopped: "
                                + e.getMessage()
                                + "; keeping the best parameters so far");
                return e.getMessage();
            }
            int epoch = ++state.epoch;
            Predictions vp = model.predict(GraphModel.pick(samples, val), tc.batchSize());
            Metrics vm = Metrics.of(pick(targets, val), vp.prediction(), null, null);
            if (!Double.isFinite(vm.mae())) {
                // Never checkpoint parameters that predict NaN: the last checkpoint stays
                // resumable.
                String stopped = "non-finite validation predictions after epoch " + epoch;
                log.println(
                        "training stopped: " + stopped + "; keeping the best parameters so far");
                return stopped;
            }
            if (vm.mae() < state.bestMae) {
                state.bestMae = vm.mae();
                state.bestEpoch = epoch;
                model.saveParameters(run.bestParams());
            }
            // The log line first: a kill before the checkpoint repeats the epoch, and the resumed
            // run
            // drops log lines past its checkpoint (keepMetrics).
            double seconds = (System.nanoTime() - te) * 1e-9;
            run.appendMetrics(
                    String.format(
                            Locale.ROOT,
                            "{\"epoch\": %d, \"train_loss\": %.6f, \"val_mae\": %.6f, \"val_rmse\":"
                                    + " %.6f, \"best_val_mae\": %.6f, \"seconds\": %.3f}",
                            epoch,
                            trainLoss,
                            vm.mae(),
                            vm.rmse(),
                            state.bestMae,
                            seconds));
            model.saveParameters(run.checkpointParams());
            optimizer.saveState(run.checkpointOptimizer());
            new RunDirectory.Checkpoint(epoch, state.bestMae, state.bestEpoch, settingsHash)
                    .write(run);
            for (EpochListener l : listeners) {
                l.afterEpoch(epoch, vm.mae());
            }
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            double eta = elapsed / (epoch - startEpoch) * (tc.epochs() - epoch);
            log.printf(
                    Locale.ROOT,
                    "epoch %d/%d loss %.4f val_mae %.4f best %.4f (epoch %d) %.1fs ETA %.0fs%n",
                    epoch,
                    tc.epochs(),
                    trainLoss,
                    vm.mae(),
                    state.bestMae,
                    state.bestEpoch,
                    seconds,
                    eta);
            log.flush();
        }
        return "epochs";
    }

    /**
     * Restores the best parameters, evaluates, saves the model, the test predictions and the
     * result.
     */
    private Result finish(
            RunDirectory run,
            GraphModel model,
            CrystalDataset data,
            List<GraphSample> samples,
            Split split,
            Standardization z,
            State state,
            String stopped)
            throws IOException {
        int batch = config.train().batchSize();
        double[] targets = data.targets();
        if (Files.exists(run.bestParams())) {
            model.loadParameters(run.bestParams());
        }
        Predictions vp = model.predict(GraphModel.pick(samples, split.val()), batch);
        Metrics vm = metrics(pick(targets, split.val()), vp);
        Metrics tm = null;
        if (split.test().length > 0) {
            Predictions tp = model.predict(GraphModel.pick(samples, split.test()), batch);
            tm = metrics(pick(targets, split.test()), tp);
            writePredictions(run.predictions(), data, split.test(), tp);
        }
        model.save(run.path());
        Result r =
                new Result(
                        vm,
                        tm,
                        state.bestEpoch,
                        state.epoch,
                        stopped,
                        z.mean(),
                        z.meanPredictorMae(targets, split.test()));
        AtomicFiles.writeString(
                run.result(),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        return r;
    }

    private double runEpoch(
            GraphModel model,
            Trainer trainer,
            DecoupledAdamW optimizer,
            List<GraphSample> samples,
            int[] train,
            double[] targets,
            Standardization z,
            int epoch) {
        TrainSettings tc = config.train();
        int[] order = epochOrder(train, tc.seed(), epoch);
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
                    java.util.Arrays.copyOfRange(
                            order, start, Math.min(order.length, start + tc.batchSize()));
            if (idx.length < 2) {
                continue; // batch norm needs two structures
            }
            float[] y = new float[idx.length];
            for (int k = 0; k < idx.length; k++) {
                y[k] = (float) z.standardize(targets[idx[k]]);
            }
            try (NDManager m = trainer.getManager().newSubManager()) {
                GraphBatch b = GraphBatch.of(m, GraphModel.pick(samples, idx));
                NDArray target = m.create(y);
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray raw = trainer.forward(b.toNDList()).singletonOrThrow();
                    NDArray loss = loss(model, raw, target);
                    double value = loss.getFloat();
                    if (!Double.isFinite(value)) {
                        float[] r = raw.toFloatArray();
                        int bad = 0;
                        float largest = 0;
                        for (float v : r) {
                            bad += Float.isFinite(v) ? 0 : 1;
                            largest = Float.isFinite(v) ? Math.max(largest, Math.abs(v)) : largest;
                        }
                        throw new TrainingDivergedException(
                                String.format(
                                        Locale.ROOT,
                                        "non-finite loss (%s) at epoch %d, batch %d (%d non-finite"
                                                + " of %d network outputs, largest finite |output|"
                                                + " %.3g)",
                                        value,
                                        epoch + 1,
                                        batches + 1,
                                        bad,
                                        r.length,
                                        largest));
                    }
                    gc.backward(loss);
                    total += value;
                    batches++;
                }
                Gradients.Check check = optimizer.update(m, tc.gradClip());
                if (check.finite()) {
                    skippedInARow = 0;
                } else {
                    skippedInARow++;
                    log.printf(
                            Locale.ROOT,
                            "epoch %d, batch %d: non-finite gradient in %d parameter(s), first %s;"
                                    + " update skipped%n",
                            epoch + 1,
                            batches,
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
                                        batches,
                                        check.nonFinite().get(0)));
                    }
                }
            }
        }
        bar.update(order.length);
        return batches == 0 ? Double.NaN : total / batches;
    }

    /**
     * The order in which epoch {@code epoch} (0-based) visits the training structures {@code
     * train}.
     */
    public static int[] epochOrder(int[] train, long seed, int epoch) {
        return Splits.shuffled(train, seed * 1_000_003L + epoch);
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

    private static Metrics metrics(double[] target, Predictions p) {
        return Metrics.of(target, p.prediction(), p.aleatoric(), p.epistemic());
    }

    static double[] pick(double[] all, int[] idx) {
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = all[idx[k]];
        }
        return out;
    }

    /** Writes id, target, prediction (and the NIG parameters and variances) per structure. */
    public static void writePredictions(Path file, CrystalDataset data, int[] idx, Predictions p)
            throws IOException {
        StringBuilder sb =
                new StringBuilder("id,target,prediction").append(p.csvExtraHeader()).append('\n');
        for (int k = 0; k < idx.length; k++) {
            sb.append(data.get(idx[k]).id())
                    .append(',')
                    .append(data.get(idx[k]).target())
                    .append(',');
            p.appendCsv(sb, k).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
