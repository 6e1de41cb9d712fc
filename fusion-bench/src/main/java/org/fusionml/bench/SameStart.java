package org.fusionml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainSettings;

/**
 * The same start of the learning check ({@code fusion bench learn --same-start}, see {@link
 * LearningBenchmark}): both sides begin from the reference's initial weights and visit the training
 * structures in the framework's order, and their per-epoch curves are compared afterwards.
 */
final class SameStart {
    private SameStart() {}

    /**
     * The reference's initial state in {@code runDir}, which the framework's model copies ({@link
     * ReferenceWeights}).
     */
    static Path initialState(Path runDir) {
        return runDir.resolve("reference_initial_state.json");
    }

    /**
     * Writes the framework's training order into {@code runDir} and has the learner write its
     * initial state there ({@code --state-out}, after {@code learnerArgs}).
     *
     * @return the learner's further arguments that make it start from that state and follow that
     *     order
     */
    static List<String> writeOrderAndInitialState(
            PyTorchReference pytorch,
            Path learner,
            List<String> learnerArgs,
            CrystalDataset data,
            Split split,
            TrainSettings tc,
            Path runDir)
            throws IOException, InterruptedException {
        Path stateFile = initialState(runDir);
        Path orderFile = runDir.resolve("training_order.json");
        AtomicFiles.writeString(orderFile, orderJson(data, split, tc));
        List<String> stateArgs = new ArrayList<>(learnerArgs);
        stateArgs.addAll(List.of("--state-out", stateFile.toAbsolutePath().toString()));
        PyTorchReference.PythonRun state = pytorch.run(learner.toAbsolutePath(), stateArgs);
        if (state.result() == null) {
            throw new IllegalStateException(
                    "a same start needs the reference's initial state, but "
                            + learner
                            + " --state-out failed: "
                            + state.failure());
        }
        return List.of(
                "--state-in",
                stateFile.toAbsolutePath().toString(),
                "--order",
                orderFile.toAbsolutePath().toString());
    }

    /**
     * The framework's training order as ids, one list per epoch ({@link GraphTrainer#epochOrder}).
     */
    static String orderJson(CrystalDataset data, Split split, TrainSettings tc) {
        ArrayNode epochs = new ObjectMapper().createArrayNode();
        for (int e = 0; e < tc.epochs(); e++) {
            ArrayNode ids = epochs.addArray();
            for (int i : GraphTrainer.epochOrder(split.train(), tc.seed(), e)) {
                ids.add(data.entries().get(i).id());
            }
        }
        return epochs.toString();
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
}
