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
        Split split = splitWithTestPart(config, data);
        String size = referenceSize(config, data);
        boolean comparable = !size.startsWith("not comparable");
        boolean reference = learner != null && comparable;
        if (sameStart && (!reference || !referenceLoss.equals(config.loss().type()))) {
            throw sameStartRefused(config, size, referenceLoss);
        }
        Files.createDirectories(runDir);
        List<String> args = new ArrayList<>();
        if (reference) {
            args.addAll(writeReferenceInputs(config, data, split, size, referenceLoss, runDir));
        }
        if (sameStart) {
            args.addAll(
                    SameStart.writeOrderAndInitialState(
                            pytorch, learner, args, data, split, config.train(), runDir));
        }
        String common = LearningLines.commonFields(config, data, split, sameStart);
        trainFusion(config, data, split, runDir, sameStart, common, out, log);
        if (learner == null) {
            return;
        }
        if (!comparable) {
            LearningLines.printReferenceSkipped(out, size);
            return;
        }
        JsonNode ref = trainReference(pytorch, learner, args, runDir, out);
        if (ref == null) {
            return;
        }
        LearningLines.printReference(out, size, referenceLoss, common, ref);
        if (sameStart) {
            SameStart.compareCurves(
                    out, runDir.resolve("fusion").resolve("metrics.jsonl"), ref.get("curve"));
        }
    }

    /** The configuration's split of {@code data}; an error when it has no test part. */
    private static Split splitWithTestPart(TrainConfig config, CrystalDataset data) {
        Split split = config.data().split(data);
        if (split.test().length == 0) {
            throw new IllegalArgumentException(
                    "the learning check needs a test part: data.test_fraction is 0");
        }
        return split;
    }

    /** Why a same start is refused: the reference cannot run this configuration with its loss. */
    private static InvalidInputException sameStartRefused(
            TrainConfig config, String size, String referenceLoss) {
        return new InvalidInputException(
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

    /**
     * Writes the split and the atom features the reference trains on into {@code runDir}; returns
     * the learner's arguments.
     */
    private static List<String> writeReferenceInputs(
            TrainConfig config,
            CrystalDataset data,
            Split split,
            String size,
            String referenceLoss,
            Path runDir)
            throws IOException {
        Path splitFile = runDir.resolve("reference_split.json");
        Path featureFile = runDir.resolve("reference_atom_features.json");
        AtomicFiles.writeString(splitFile, splitJson(data, split));
        AtomicFiles.writeString(featureFile, atomFeaturesJson());
        return learnerArgs(config, size, referenceLoss, splitFile, featureFile);
    }

    /**
     * Trains {@code config} into {@code runDir/fusion} (from the reference's initial state for a
     * same start) and prints the framework's line.
     */
    private static void trainFusion(
            TrainConfig config,
            CrystalDataset data,
            Split split,
            Path runDir,
            boolean sameStart,
            String common,
            PrintWriter out,
            PrintWriter log)
            throws IOException {
        Path stateFile = SameStart.initialState(runDir);
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
        LearningLines.printFusion(out, config, common, r, wall);
    }

    /**
     * Runs the learner and keeps its result in {@code runDir}; null, after a line saying why, when
     * it gave none.
     */
    private static JsonNode trainReference(
            PyTorchReference pytorch, Path learner, List<String> args, Path runDir, PrintWriter out)
            throws IOException, InterruptedException {
        PyTorchReference.PythonRun run = pytorch.run(learner.toAbsolutePath(), args);
        if (run.result() == null) {
            LearningLines.printReferenceUnavailable(out, run.failure());
            return null;
        }
        JsonNode ref = run.result();
        AtomicFiles.writeString(runDir.resolve("reference_result.json"), ref.toString());
        return ref;
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
}
