package org.fusionml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.Element;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainConfig;

/**
 * The learning check of the models issue: the test MAE a configuration reaches on its split, as a
 * fraction of the test MAE of always predicting the training mean, next to what the plain PyTorch
 * ALIGNN ({@link PyTorchReference}) reaches on exactly the same train / validation / test
 * structures with the same atom features, width, depth, initialisation, head and loss, batch size,
 * epochs, patience, learning rate, weight decay, one-cycle schedule (beta1 cycled or not) and seed
 * (the repository's {@code bench/alignn_reference_learn.py}). Prints one line per implementation:
 *
 * <pre>
 * bench alignn_learn impl=fusion model=alignn layers=2+2 hidden=64 head=evidential loss=der ... ratio=0.750 wall_s=176
 * bench alignn_learn impl=pytorch_ref model=alignn_small head=evidential loss=der ... ratio=... wall_s=...
 * </pre>
 *
 * The reference exists only as ALIGNN SMALL (hidden 64, 2 + 2 layers) and FULL (256, 4 + 4), with a
 * regression head or, for {@code der}, the framework's evidential head written out in the learner;
 * on matbench_jdft2d's 12-nearest-neighbour graphs within 8 A and a one-cycle schedule; for any
 * other configuration its line says why it was not run.
 *
 * <p>With a same start both sides begin from the reference's initial weights and see the training
 * structures in the same order, so that what differs between their runs is the implementation (and
 * float32 rounding), not the draw of weights and batches; a third line compares the curves:
 *
 * <pre>
 * bench alignn_learn_same_start epochs_compared=68 ... epoch1_train_loss_rel_diff=1.21e-07 ... epochs_val_mae_within_1pct=68 ...
 * </pre>
 */
public final class LearningBenchmark {
    private LearningBenchmark() {}

    /**
     * Trains {@code config} into {@code runDir/fusion} (resuming there if interrupted), then the
     * reference on the same split.
     *
     * @param pytorch the interpreter that runs the learner and the reference it imports; may be
     *     null without a learner
     * @param learner the repository's {@code bench/alignn_reference_learn.py}; null: no reference
     * @param referenceLoss {@code der} (the reference with the framework's evidential head and
     *     {@code loss.lambda}), {@code mae} or {@code mse} (ALIGNN's default)
     * @param sameStart both sides start from the reference's initial weights (copied into the
     *     framework's model, see {@link ReferenceWeights}) and visit the training structures in the
     *     framework's order; a third line then compares their per-epoch curves
     */
    public static void run(
            TrainConfig config,
            Path runDir,
            PyTorchReference pytorch,
            Path learner,
            String referenceLoss,
            boolean sameStart,
            PrintWriter out,
            PrintWriter log)
            throws IOException, InterruptedException {
        if (learner != null) {
            Objects.requireNonNull(pytorch, "pytorch (a learner needs the reference)");
        }
        CrystalDataset data = Datasets.load(config.data());
        Split split = config.data().split(data.size());
        if (split.test().length == 0) {
            throw new IllegalArgumentException(
                    "the learning check needs a test part: data.test_fraction is 0");
        }
        String size = referenceSize(config, data);
        boolean comparable = !size.startsWith("not comparable");
        boolean reference = learner != null && comparable;
        if (sameStart && (!reference || !referenceLoss.equals(config.loss().type()))) {
            throw new InvalidInputException(
                    "fusion bench learn --same-start",
                    null,
                    "a same start needs the reference, a configuration it can"
                            + " train ("
                            + size
                            + ") and the configuration's loss on both sides ("
                            + config.loss().type()
                            + ", not "
                            + referenceLoss
                            + ")");
        }
        Files.createDirectories(runDir);
        Path splitFile = runDir.resolve("reference_split.json");
        Path featureFile = runDir.resolve("reference_atom_features.json");
        Path stateFile = runDir.resolve("reference_initial_state.json");
        Path orderFile = runDir.resolve("training_order.json");
        List<String> args = new ArrayList<>();
        if (reference) {
            AtomicFiles.writeString(splitFile, splitJson(data, split));
            AtomicFiles.writeString(featureFile, atomFeaturesJson());
            args.addAll(learnerArgs(config, size, referenceLoss, splitFile, featureFile));
        }
        if (sameStart) {
            AtomicFiles.writeString(orderFile, orderJson(data, split, config.train()));
            List<String> stateArgs = new ArrayList<>(args);
            stateArgs.addAll(List.of("--state-out", stateFile.toAbsolutePath().toString()));
            PyTorchReference.PythonRun state = pytorch.run(learner.toAbsolutePath(), stateArgs);
            if (state.result() == null) {
                throw new IllegalStateException(
                        "a same start needs the reference's initial state, but "
                                + learner
                                + " --state-out failed: "
                                + state.failure());
            }
            args.addAll(
                    List.of(
                            "--state-in",
                            stateFile.toAbsolutePath().toString(),
                            "--order",
                            orderFile.toAbsolutePath().toString()));
        }
        long start = System.nanoTime();
        GraphTrainer.Result r =
                new GraphTrainer(config, log)
                        .train(
                                data,
                                split,
                                runDir.resolve("fusion"),
                                sameStart
                                        ? block -> ReferenceWeights.copy(stateFile, block)
                                        : null);
        double wall = (System.nanoTime() - start) / 1e9;
        String common =
                String.format(
                        Locale.ROOT,
                        "init=%s start=%s cycle_momentum=%s dataset=%s train=%d val=%d test=%d"
                                + " batch=%d seed=%d",
                        config.model().init(),
                        sameStart ? "reference" : "own",
                        config.train().cycleMomentum(),
                        data.provenance().task(),
                        split.train().length,
                        split.val().length,
                        split.test().length,
                        config.train().batchSize(),
                        config.train().seed());
        print(
                out,
                "fusion",
                describe(config),
                common,
                r.epochs(),
                r.bestEpoch(),
                r.validation().mae(),
                r.test().mae(),
                r.meanPredictorTestMae(),
                wall);
        if (learner == null) {
            return;
        }
        if (!comparable) {
            out.printf(
                    Locale.ROOT,
                    "bench alignn_learn impl=pytorch_ref status=skipped reason=\"%s\"%n",
                    size);
            out.flush();
            return;
        }
        PyTorchReference.PythonRun run = pytorch.run(learner.toAbsolutePath(), args);
        if (run.result() == null) {
            out.printf(
                    Locale.ROOT,
                    "bench alignn_learn impl=pytorch_ref status=unavailable reason=\"%s\"%n",
                    run.failure());
            out.flush();
            return;
        }
        JsonNode ref = run.result();
        AtomicFiles.writeString(runDir.resolve("reference_result.json"), ref.toString());
        print(
                out,
                "pytorch_ref",
                "model=alignn_"
                        + size.toLowerCase(Locale.ROOT)
                        + " head="
                        + (referenceLoss.equals("der") ? "evidential" : "regression")
                        + " loss="
                        + referenceLoss,
                common,
                ref.get("epochs").asInt(),
                ref.get("best_epoch").asInt(),
                ref.get("val_mae").asDouble(),
                ref.get("test_mae").asDouble(),
                ref.get("mean_predictor_test_mae").asDouble(),
                ref.get("wall_s").asDouble());
        if (sameStart) {
            compareCurves(out, runDir.resolve("fusion").resolve("metrics.jsonl"), ref.get("curve"));
        }
    }

    private static List<String> learnerArgs(
            TrainConfig config,
            String size,
            String referenceLoss,
            Path splitFile,
            Path featureFile) {
        var tc = config.train();
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--split",
                                splitFile.toAbsolutePath().toString(),
                                "--atom-features",
                                featureFile.toAbsolutePath().toString(),
                                "--config",
                                size,
                                "--loss",
                                referenceLoss,
                                "--epochs",
                                String.valueOf(tc.epochs()),
                                "--patience",
                                String.valueOf(tc.patience()),
                                "--batch",
                                String.valueOf(tc.batchSize()),
                                "--lr",
                                String.valueOf(tc.learningRate()),
                                "--weight-decay",
                                String.valueOf(tc.weightDecay()),
                                "--seed",
                                String.valueOf(tc.seed()),
                                "--init",
                                config.model().init(),
                                "--der-lambda",
                                String.valueOf(config.loss().lambda())));
        if (!tc.cycleMomentum()) {
            args.add("--no-cycle-momentum");
        }
        return args;
    }

    /**
     * The line comparing the two same-start runs epoch by epoch: the relative difference of the
     * first epoch's mean training loss, the difference of its validation MAE (meV/atom), how many
     * leading epochs keep the two validation MAEs within 1 % of each other (the runs drift apart as
     * float32 rounding differences grow) and the largest relative difference of the validation MAEs
     * over the epochs both ran.
     */
    static void compareCurves(PrintWriter out, Path fusionMetrics, JsonNode refCurve)
            throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> fusion = new ArrayList<>();
        for (String l : Files.readAllLines(fusionMetrics)) {
            if (!l.isBlank()) {
                fusion.add(json.readTree(l));
            }
        }
        int n = Math.min(fusion.size(), refCurve.size());
        if (n == 0) {
            throw new IllegalStateException(
                    "no epoch to compare: " + fusionMetrics + " or the reference's curve is empty");
        }
        int within = -1;
        double largest = 0;
        for (int e = 0; e < n; e++) {
            double ref = refCurve.get(e).get("val_mae").asDouble();
            double relative = Math.abs(fusion.get(e).get("val_mae").asDouble() - ref) / ref;
            largest = Math.max(largest, relative);
            if (relative > 0.01 && within < 0) {
                within = e;
            }
        }
        within = within < 0 ? n : within;
        double loss0 = fusion.get(0).get("train_loss").asDouble();
        double refLoss0 = refCurve.get(0).get("train_loss").asDouble();
        out.printf(
                Locale.ROOT,
                "bench alignn_learn_same_start epochs_compared=%d epoch1_train_loss_fusion=%.6f"
                        + " epoch1_train_loss_ref=%.6f epoch1_train_loss_rel_diff=%.2e"
                        + " epoch1_val_mae_diff=%.4f epochs_val_mae_within_1pct=%d"
                        + " max_val_mae_rel_diff=%.2e%n",
                n,
                loss0,
                refLoss0,
                Math.abs(loss0 - refLoss0) / Math.abs(refLoss0),
                fusion.get(0).get("val_mae").asDouble() - refCurve.get(0).get("val_mae").asDouble(),
                within,
                largest);
        out.flush();
    }

    /**
     * The framework's training order as ids, one list per epoch ({@link GraphTrainer#epochOrder}).
     */
    static String orderJson(
            CrystalDataset data, Split split, org.fusionml.train.trainer.TrainSettings tc) {
        ArrayNode epochs = new ObjectMapper().createArrayNode();
        for (int e = 0; e < tc.epochs(); e++) {
            ArrayNode ids = epochs.addArray();
            for (int i : GraphTrainer.epochOrder(split.train(), tc.seed(), e)) {
                ids.add(data.entries().get(i).id());
            }
        }
        return epochs.toString();
    }

    private static String describe(TrainConfig c) {
        String shape =
                c.model() instanceof AlignnConfig m
                        ? String.format(
                                Locale.ROOT,
                                "model=alignn layers=%d+%d hidden=%d",
                                m.alignnLayers(),
                                m.gcnLayers(),
                                m.hidden())
                        : "model=" + c.model().name();
        return shape + " head=" + c.model().head() + " loss=" + c.loss().type();
    }

    /**
     * {@code SMALL} or {@code FULL} when the reference can train the same model on the same graphs,
     * else a sentence starting with "not comparable" that says why not.
     */
    static String referenceSize(TrainConfig c, CrystalDataset data) {
        if (!data.provenance().task().equals("matbench_jdft2d")) {
            return "not comparable: the reference has matbench_jdft2d only";
        }
        if (!(c.model() instanceof AlignnConfig m) || m.embedding() != 64) {
            return "not comparable: the reference is ALIGNN with embedding 64";
        }
        if (m.cutoff() != 8.0 || m.maxNeighbors() != 12) {
            return "not comparable: the reference's graphs are 12 nearest neighbours within 8 A";
        }
        if (!c.train().schedule().equals("onecycle")) {
            return "not comparable: the reference trains with the one-cycle schedule";
        }
        if (m.hidden() == 64 && m.alignnLayers() == 2 && m.gcnLayers() == 2) {
            return "SMALL";
        }
        if (m.hidden() == 256 && m.alignnLayers() == 4 && m.gcnLayers() == 4) {
            return "FULL";
        }
        return "not comparable: the reference has hidden 64 with 2 + 2 layers and 256 with 4 + 4"
                + " only";
    }

    /** The split as Matbench ids: {"train": [...], "val": [...], "test": [...]}. */
    static String splitJson(CrystalDataset data, Split split) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        int[][] parts = {split.train(), split.val(), split.test()};
        String[] names = {"train", "val", "test"};
        for (int p = 0; p < parts.length; p++) {
            ArrayNode ids = root.putArray(names[p]);
            for (int i : parts[p]) {
                ids.add(data.entries().get(i).id());
            }
        }
        return root.toString();
    }

    /**
     * 119 rows of {@link AtomFeatures#SIZE} numbers, row Z the features of atomic number Z (row 0
     * zero).
     */
    static String atomFeaturesJson() {
        ObjectMapper json = new ObjectMapper();
        ArrayNode rows = json.createArrayNode();
        rows.add(json.valueToTree(new float[AtomFeatures.SIZE]));
        for (int z = 1; z <= 118; z++) {
            rows.add(
                    json.valueToTree(
                            z <= Element.MAX_Z
                                    ? AtomFeatures.of(z)
                                    : new float[AtomFeatures.SIZE]));
        }
        return rows.toString();
    }

    private static void print(
            PrintWriter out,
            String impl,
            String model,
            String common,
            int epochs,
            int bestEpoch,
            double valMae,
            double testMae,
            double meanMae,
            double wall) {
        out.printf(
                Locale.ROOT,
                "bench alignn_learn impl=%s %s %s epochs=%d best_epoch=%d val_mae=%.2f"
                        + " test_mae=%.2f mean_predictor_test_mae=%.2f ratio=%.3f wall_s=%.0f%n",
                impl,
                model,
                common,
                epochs,
                bestEpoch,
                valMae,
                testMae,
                meanMae,
                testMae / meanMae,
                wall);
        out.flush();
    }
}
