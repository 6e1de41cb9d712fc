package org.fusionml.train.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
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
import java.util.stream.IntStream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.CsvTable;
import org.fusionml.data.io.Sources;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
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
    private final TrainConfig config;
    private final PrintWriter log;
    private final List<EpochListener> listeners = new ArrayList<>();
    private final EpochTrainer epochTrainer;
    private boolean domain = true;

    public GraphTrainer(TrainConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
        this.epochTrainer = new EpochTrainer(config, log);
    }

    /** Adds a listener told after every epoch's checkpoint (progress, tests that stop a run). */
    public GraphTrainer addEpochListener(EpochListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Saves the model without its {@link TrainingDomain} (no fingerprints of the training part, no
     * out-of-domain flag when it predicts): for models that only evaluate a test part, such as a
     * loop's surrogates and targets, where the fingerprints would cost more than the prediction.
     */
    public GraphTrainer withoutDomain() {
        domain = false;
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
     * @throws InvalidInputException when {@code runDir} holds a run with other settings, or another
     *     live process trains into it ({@code train.lock})
     */
    public Result train(CrystalDataset data, Split split, Path runDir, Consumer<Block> start)
            throws IOException {
        requireTrainable(data, split);
        try (FolderLock lock =
                FolderLock.acquire(runDir.resolve("train.lock"), "fusion train", log)) {
            return trainLocked(data, split, runDir, start);
        }
    }

    private Result trainLocked(CrystalDataset data, Split split, Path runDir, Consumer<Block> start)
            throws IOException {
        int[] train = split.train();
        int[] val = split.val();
        int[] test = split.test();
        RunDirectory run = new RunDirectory(runDir);
        Checkpoint cp = Checkpoint.read(run.checkpoint());
        String settingsHash = run.claim(config, train, val, test, cp);
        if (cp != null) {
            restoreBest(run, cp);
        }
        TrainSettings tc = config.train();
        double[] targets = data.targets();
        Standardization z = Standardization.of(targets, train);
        Engine.getInstance().setRandomSeed((int) tc.seed().longValue());
        Device device = Devices.resolve(tc.device());
        TrainingDomain domain =
                this.domain
                        ? TrainingDomain.of(
                                IntStream.of(train).mapToObj(i -> data.get(i).id()).toList(),
                                IntStream.of(train).mapToObj(i -> data.get(i).structure()).toList(),
                                Math.max(1, Runtime.getRuntime().availableProcessors()))
                        : null;
        try (GraphModel model =
                new GraphModel(config.model(), z, provenance(data, train.length), domain, device)) {
            if (config.model().init().equals("pytorch")) {
                Initialization.pytorch(model.block());
            }
            List<GraphSample> samples = model.samples(data);
            int batchesPerEpoch = (train.length + tc.batchSize() - 1) / tc.batchSize();
            if (cp != null) {
                try (EngineGate.Section work = EngineGate.jvm().enter()) {
                    loadCheckpointParameters(model, run, cp);
                }
            }
            // (DJL's trainer runs forward and backward; the step is DecoupledAdamW's, see
            // EpochTrainer)
            try (Trainer trainer = model.djlModel().newTrainer(trainingConfig(device))) {
                try (EngineGate.Section work = EngineGate.jvm().enter()) {
                    trainer.initialize(GraphBatchShapes.shapes());
                    if (cp == null && start != null) {
                        start.accept(model.block());
                    }
                }
                DecoupledAdamW optimizer = optimizer(model, batchesPerEpoch * tc.epochs());
                RunState state = new RunState(cp == null ? null : cp.state());
                if (cp != null) {
                    resume(run, optimizer, cp, state, batchesPerEpoch);
                } else {
                    // What an earlier start left before its first checkpoint is not this run's.
                    run.keepMetrics(0);
                    Files.deleteIfExists(run.bestParams());
                }
                TrainingSession session =
                        new TrainingSession(
                                run,
                                model,
                                trainer,
                                optimizer,
                                samples,
                                split,
                                targets,
                                z,
                                settingsHash);
                String stopped =
                        new EpochLoop(config, log, listeners, epochTrainer).run(session, state);
                return finish(session, data, state, stopped);
            }
        }
    }

    /**
     * Checks that {@code split} of {@code data} leaves at least 2 training and 1 validation
     * structures (a standardisation needs two values, early stopping one validation MAE).
     *
     * @throws InvalidInputException naming the dataset when it does not
     */
    public static void requireTrainable(CrystalDataset data, Split split) {
        if (split.train().length < 2 || split.val().length == 0) {
            throw new InvalidInputException(
                    data.provenance().source(),
                    null,
                    data.size()
                            + (data.size() == 1 ? " structure splits" : " structures split")
                            + " into "
                            + split.train().length
                            + " training and "
                            + split.val().length
                            + " validation structures; training needs at least 2 and 1");
        }
    }

    /**
     * Loads the checkpoint's parameters into the model. Called before the trainer exists: its
     * parameter store keeps the arrays it first sees, so parameters loaded later would be evaluated
     * but never trained.
     */
    private static void loadCheckpointParameters(
            GraphModel model, RunDirectory run, Checkpoint cp) {
        model.block()
                .initialize(
                        model.djlModel().getNDManager(),
                        DataType.FLOAT32,
                        GraphBatchShapes.shapes());
        model.loadParameters(cp.parameters(), run.checkpoint());
    }

    private static DefaultTrainingConfig trainingConfig(Device device) {
        return new DefaultTrainingConfig(Loss.l1Loss()).optDevices(new Device[] {device});
    }

    /**
     * Continues after checkpoint {@code cp}: drops the metrics lines past it and restores the
     * optimizer's state (or only its schedule position when the checkpoint has no moments).
     */
    private void resume(
            RunDirectory run,
            DecoupledAdamW optimizer,
            Checkpoint cp,
            RunState state,
            int batchesPerEpoch)
            throws IOException {
        Checkpoint.State st = cp.state();
        run.keepMetrics(st.epoch());
        byte[] moments = cp.optimizer();
        if (moments.length > 0) {
            try (EngineGate.Section work = EngineGate.jvm().enter()) {
                optimizer.loadState(moments, run.checkpoint());
            }
        } else {
            optimizer.setStepOffset(st.epoch() * batchesPerEpoch);
        }
        log.printf(
                Locale.ROOT,
                "resuming after epoch %d (best validation MAE %.4f at epoch %d)%n",
                st.epoch(),
                state.bestMae,
                state.bestEpoch);
    }

    /**
     * Checks {@code best.params} against the checkpoint's hash, before anything of the run is
     * touched. The checkpoint is written before {@code best.params}: when the checkpoint's own
     * epoch is the best, a kill between the two left the previous best, which is replaced from the
     * checkpoint's parameters; any other mismatch is refused.
     */
    private static void restoreBest(RunDirectory run, Checkpoint cp) throws IOException {
        Checkpoint.State st = cp.state();
        Path best = run.bestParams();
        String expected = st.bestParamsSha256();
        if (expected == null || (Files.exists(best) && expected.equals(Sources.sha256(best)))) {
            return;
        }
        byte[] parameters = cp.parameters();
        if (st.bestEpoch() == st.epoch() && expected.equals(Sources.sha256(parameters))) {
            AtomicFiles.write(best, out -> out.write(parameters));
            return;
        }
        throw new InvalidInputException(
                best.toString(),
                null,
                (Files.exists(best) ? "does not match" : "is missing for")
                        + " the checkpoint "
                        + run.checkpoint()
                        + " (best epoch "
                        + st.bestEpoch()
                        + "); delete the checkpoint to train this run again from the start, or"
                        + " use another output folder");
    }

    private ObjectNode provenance(CrystalDataset data, int trainSize) {
        ObjectNode provenance = new ObjectMapper().createObjectNode();
        provenance.put("dataset_source", source(data.provenance().source()));
        provenance.put("dataset_sha256", data.provenance().sha256());
        provenance.put("task", data.provenance().task());
        provenance.put("target", data.provenance().targetName());
        provenance.put("unit", data.provenance().unit());
        provenance.put("seed", config.train().seed());
        provenance.put("train_size", trainSize);
        return provenance;
    }

    /** A file source as an absolute path (predict may run elsewhere); a resource as it is. */
    private static String source(String source) {
        return source.startsWith("classpath:")
                ? source
                : Path.of(source).toAbsolutePath().normalize().toString();
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
     * Restores the best parameters, evaluates, saves the model, the test predictions and the
     * result.
     */
    private Result finish(TrainingSession s, CrystalDataset data, RunState state, String stopped)
            throws IOException {
        RunDirectory run = s.run();
        GraphModel model = s.model();
        Split split = s.split();
        int batch = config.train().batchSize();
        double[] targets = data.targets();
        if (Files.exists(run.bestParams())) {
            try (EngineGate.Section work = EngineGate.jvm().enter()) {
                model.loadParameters(run.bestParams());
            }
        }
        Predictions vp = model.predict(GraphModel.pick(s.samples(), split.val()), batch);
        Metrics vm = metrics(pick(targets, split.val()), vp);
        Metrics tm = null;
        if (split.test().length > 0) {
            Predictions tp = model.predict(GraphModel.pick(s.samples(), split.test()), batch);
            tm = metrics(pick(targets, split.test()), tp);
            writePredictions(run.predictions(), data, split.test(), tp);
        }
        try (EngineGate.Section work = EngineGate.jvm().enter()) {
            model.save(run.path());
        }
        Result r =
                new Result(
                        vm,
                        tm,
                        state.bestEpoch,
                        state.epoch,
                        stopped,
                        s.z().mean(),
                        s.z().meanPredictorMae(targets, split.test()));
        AtomicFiles.writeString(
                run.result(),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        writeProvenance(run, model, split, r);
        return r;
    }

    /**
     * Writes {@code provenance.json}: what a saved model was made from and how well it did, for a
     * model folder found by name ({@code fusion predict --model NAME}): the dataset (source,
     * SHA-256, task, target, unit), the split sizes, the resolved configuration, the validation and
     * test metrics and the SHA-256 of {@code model.params}.
     */
    private void writeProvenance(RunDirectory run, GraphModel model, Split split, Result r)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode p = json.createObjectNode();
        p.put("format_version", ModelProvenance.FORMAT_VERSION);
        p.setAll(model.provenance());
        p.put("validation_size", split.val().length);
        p.put("test_size", split.test().length);
        p.put("validation_mae", r.validation().mae());
        if (r.test() != null) {
            p.put("test_mae", r.test().mae());
            p.put("test_rmse", r.test().rmse());
            p.put("test_count", r.test().count());
        }
        p.put("model_params_sha256", Sources.sha256(run.path().resolve("model.params")));
        p.set("config", RunDirectory.YAML.valueToTree(config));
        AtomicFiles.writeString(
                run.provenance(), json.writerWithDefaultPrettyPrinter().writeValueAsString(p));
    }

    /**
     * The order in which epoch {@code epoch} (0-based) visits the training structures {@code
     * train}.
     */
    public static int[] epochOrder(int[] train, long seed, int epoch) {
        return Splits.shuffled(train, seed * 1_000_003L + epoch);
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
        List<String> header = new ArrayList<>(List.of("id", "target"));
        header.addAll(p.csvHeader());
        CsvTable csv = new CsvTable(header);
        for (int k = 0; k < idx.length; k++) {
            List<String> row = new ArrayList<>();
            row.add(data.get(idx[k]).id());
            row.add(Double.toString(data.get(idx[k]).target()));
            row.addAll(p.csvCells(k));
            csv.add(row);
        }
        csv.write(file);
    }
}
