package org.fusionml.train.trainer;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;

/**
 * The epochs of one run: trains each ({@link EpochTrainer}), evaluates it on the validation part,
 * keeps the best parameters, appends its line to {@code metrics.jsonl}, writes the checkpoint,
 * tells the listeners and logs progress; stops after the configured epochs, on early stopping or
 * when training diverges.
 */
final class EpochLoop {
    private final TrainConfig config;
    private final PrintWriter log;
    private final List<EpochListener> listeners;
    private final EpochTrainer epochTrainer;

    EpochLoop(
            TrainConfig config,
            PrintWriter log,
            List<EpochListener> listeners,
            EpochTrainer epochTrainer) {
        this.config = config;
        this.log = log;
        this.listeners = listeners;
        this.epochTrainer = epochTrainer;
    }

    /**
     * Runs epochs until the configured number, early stopping or divergence, writing metrics, the
     * best parameters and a checkpoint after each. Returns why it stopped.
     */
    String run(TrainingSession s, RunState state) throws IOException {
        TrainSettings tc = config.train();
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
                trainLoss = epochTrainer.runEpoch(s, state.epoch);
            } catch (TrainingDivergedException e) {
                log.println(
                        "training stopped: "
                                + e.getMessage()
                                + "; keeping the best parameters so far");
                return e.getMessage();
            }
            int epoch = ++state.epoch;
            Metrics vm = validate(s);
            if (!Double.isFinite(vm.mae())) {
                // Never checkpoint parameters that predict NaN: the last checkpoint stays
                // resumable.
                String stopped = "non-finite validation predictions after epoch " + epoch;
                log.println(
                        "training stopped: " + stopped + "; keeping the best parameters so far");
                return stopped;
            }
            boolean improved = vm.mae() < state.bestMae;
            if (improved) {
                state.bestMae = vm.mae();
                state.bestEpoch = epoch;
            }
            double seconds = (System.nanoTime() - te) * 1e-9;
            checkpoint(s, state, improved, trainLoss, vm, seconds);
            for (EpochListener l : listeners) {
                l.afterEpoch(epoch, vm.mae());
            }
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            double eta = elapsed / (epoch - startEpoch) * (tc.epochs() - epoch);
            logEpoch(state, trainLoss, vm, seconds, eta);
        }
        return "epochs";
    }

    /** The validation metrics of the current parameters (predictions only, no uncertainties). */
    private Metrics validate(TrainingSession s) {
        int[] val = s.split().val();
        Predictions vp =
                s.model().predict(GraphModel.pick(s.samples(), val), config.train().batchSize());
        return Metrics.of(GraphTrainer.pick(s.targets(), val), vp.prediction(), null, null);
    }

    /**
     * Appends the epoch's line to {@code metrics.jsonl}, writes the checkpoint (parameters,
     * optimizer state, epoch and best so far in one file) and, when the epoch {@code improved} on
     * the best, {@code best.params}.
     */
    private void checkpoint(
            TrainingSession s,
            RunState state,
            boolean improved,
            double trainLoss,
            Metrics vm,
            double seconds)
            throws IOException {
        // The log line first: a kill before the checkpoint repeats the epoch, and the resumed run
        // drops log lines past its checkpoint (keepMetrics).
        RunDirectory run = s.run();
        run.appendMetrics(
                String.format(
                        Locale.ROOT,
                        "{\"epoch\": %d, \"train_loss\": %.6f, \"val_mae\": %.6f, \"val_rmse\":"
                                + " %.6f, \"best_val_mae\": %.6f, \"seconds\": %.3f}",
                        state.epoch,
                        trainLoss,
                        vm.mae(),
                        vm.rmse(),
                        state.bestMae,
                        seconds));
        try (EngineGate.Section work = EngineGate.jvm().enter()) {
            writeCheckpoint(s, state, improved);
        }
    }

    /** The checkpoint, and best.params when the epoch improved. */
    private static void writeCheckpoint(TrainingSession s, RunState state, boolean improved)
            throws IOException {
        RunDirectory run = s.run();
        byte[] parameters = s.model().parameterBytes();
        if (improved) {
            state.bestParamsSha256 = Sources.sha256(parameters);
        }
        new Checkpoint(
                        new Checkpoint.State(
                                state.epoch,
                                state.bestMae,
                                state.bestEpoch,
                                s.settingsHash(),
                                state.bestParamsSha256),
                        parameters,
                        s.optimizer().state())
                .write(run.checkpoint());
        // After the checkpoint: a kill before this write leaves the previous best.params, which
        // the resumed run replaces from the checkpoint (its parameters are the best ones).
        if (improved) {
            AtomicFiles.write(run.bestParams(), out -> out.write(parameters));
        }
    }

    private void logEpoch(
            RunState state, double trainLoss, Metrics vm, double seconds, double eta) {
        log.printf(
                Locale.ROOT,
                "epoch %d/%d loss %.4f val_mae %.4f best %.4f (epoch %d) %.1fs ETA %.0fs%n",
                state.epoch,
                config.train().epochs(),
                trainLoss,
                vm.mae(),
                state.bestMae,
                state.bestEpoch,
                seconds,
                eta);
        log.flush();
    }
}
