package org.fusionml.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Locale;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainConfig;

/**
 * The {@code bench alignn_learn} lines of {@link LearningBenchmark}: one per implementation, with
 * its model, the fields both share and its figures, or why the reference has none.
 */
final class LearningLines {
    private LearningLines() {}

    /** The fields both implementations' lines share: initialisation, start, schedule and data. */
    static String commonFields(
            TrainConfig config, CrystalDataset data, Split split, boolean sameStart) {
        return String.format(
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
    }

    /** The framework's line, from its training result {@code r} and wall time in seconds. */
    static void printFusion(
            PrintWriter out,
            TrainConfig config,
            String common,
            GraphTrainer.Result r,
            double wall) {
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
    }

    /** The reference's line, from the learner's result {@code ref}. */
    static void printReference(
            PrintWriter out, String size, String referenceLoss, String common, JsonNode ref) {
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
    }

    /** The reference's line when it cannot train the configuration ({@code reason}). */
    static void printReferenceSkipped(PrintWriter out, String reason) {
        out.printf(
                Locale.ROOT,
                "bench alignn_learn impl=pytorch_ref status=skipped reason=\"%s\"%n",
                reason);
        out.flush();
    }

    /** The reference's line when its run gave no result ({@code reason}). */
    static void printReferenceUnavailable(PrintWriter out, String reason) {
        out.printf(
                Locale.ROOT,
                "bench alignn_learn impl=pytorch_ref status=unavailable reason=\"%s\"%n",
                reason);
        out.flush();
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
