package org.fusionml.train.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.report.PredictionPlots;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.split.FoldSummary;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.Metrics;
import org.fusionml.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion train}: trains a model from a YAML configuration. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion train --config configs/jdft2d-alignn-small.yaml --output runs/alignn"
        },
        description = {
            "Trains a model from a YAML configuration.",
            "Writes config.yaml, metrics.jsonl, model.json + model.params and predictions.csv"
                    + " (test",
            "part) into the run directory, with the parity plot (parity.svg|png) and, for an"
                    + " evidential",
            "model, the calibration of its sigma (calibration.svg|png|csv); an interrupted run"
                    + " resumes",
            "from its last checkpoint.",
            "With data.split matbench_folds: one run per official Matbench fold in"
                    + " RUN_DIR/fold_K, and",
            "the MAE mean, std, max and min over the folds, printed and written to"
                    + " RUN_DIR/matbench_folds.json."
        })
final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE.yaml",
            description = "Run configuration. Default: all defaults (the paper's surrogate).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "path=value",
            description = "Override a configuration value, e.g. train.epochs=2 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--output",
            defaultValue = "runs/train",
            paramLabel = "RUN_DIR",
            description = "Run directory (default: ${DEFAULT-VALUE}).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkFolder(output); // before the work, not after it
        TrainConfig cfg = ConfigLoader.load(config, overrides, TrainConfig.class);
        CrystalDataset data = Datasets.load(cfg.data());
        if (cfg.data().allMatbenchFolds()) {
            return trainFolds(cfg, data);
        }
        Split split = cfg.data().split(data);
        GraphTrainer.requireTrainable(data, split);
        var err = spec.commandLine().getErr();
        err.printf(
                Locale.ROOT,
                "train %s: %d train, %d validation, %d test structures -> %s%n",
                data.provenance().task(),
                split.train().length,
                split.val().length,
                split.test().length,
                output);
        GraphTrainer.Result r = new GraphTrainer(cfg, err).train(data, split, output);
        writePlots(output, r, data);
        var out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "stopped: %s after %d epochs (best epoch %d)%n",
                r.stopped(),
                r.epochs(),
                r.bestEpoch());
        print(out, "validation", r.validation(), data.provenance().unit());
        if (r.test() != null) {
            print(out, "test", r.test(), data.provenance().unit());
            out.printf(
                    Locale.ROOT,
                    "test MAE of the training mean: %.4f; model / mean predictor = %.3f%n",
                    r.meanPredictorTestMae(),
                    r.test().mae() / r.meanPredictorTestMae());
        }
        return 0;
    }

    /**
     * {@code data.split: matbench_folds}: one run per official fold in {@code OUTPUT/fold_K} (each
     * a complete run directory whose config.yaml names its fold), then the leaderboard's summary,
     * printed and written to {@code OUTPUT/matbench_folds.json}.
     */
    private int trainFolds(TrainConfig cfg, CrystalDataset data) throws IOException {
        var err = spec.commandLine().getErr();
        var out = spec.commandLine().getOut();
        String unit = data.provenance().unit();
        List<Split> folds = cfg.data().matbenchFolds(data);
        double[] mae = new double[folds.size()];
        int[] testSize = new int[folds.size()];
        for (int k = 0; k < folds.size(); k++) {
            Split split = folds.get(k);
            Path dir = output.resolve("fold_" + k);
            err.printf(
                    Locale.ROOT,
                    "train %s fold %d of %d: %d train, %d validation, %d test structures -> %s%n",
                    data.provenance().task(),
                    k,
                    folds.size(),
                    split.train().length,
                    split.val().length,
                    split.test().length,
                    dir);
            TrainConfig foldConfig = cfg.withData(cfg.data().withSplit("matbench_fold_" + k));
            GraphTrainer.Result r = new GraphTrainer(foldConfig, err).train(data, split, dir);
            writePlots(dir, r, data);
            out.printf(
                    Locale.ROOT,
                    "fold_%d: stopped: %s after %d epochs (best epoch %d)%n",
                    k,
                    r.stopped(),
                    r.epochs(),
                    r.bestEpoch());
            print(out, "fold_" + k + " test", r.test(), unit);
            mae[k] = r.test().mae();
            testSize[k] = r.test().count();
        }
        FoldSummary summary =
                FoldSummary.of(
                        data.provenance().task(), unit, data.provenance().sha256(), mae, testSize);
        out.print(summary.table());
        Path file = output.resolve(FoldSummary.FILE);
        AtomicFiles.writeString(
                file,
                new ObjectMapper()
                                .enable(SerializationFeature.INDENT_OUTPUT)
                                .writeValueAsString(summary)
                        + "\n");
        err.printf(Locale.ROOT, "wrote %s%n", file);
        return 0;
    }

    /** The parity and calibration plots of a run with a test part ({@link PredictionPlots}). */
    private static void writePlots(Path dir, GraphTrainer.Result r, CrystalDataset data)
            throws IOException {
        if (r.test() != null) {
            PredictionPlots.write(dir, data.provenance().targetName(), data.provenance().unit());
        }
    }

    private static void print(PrintWriter out, String part, Metrics m, String unit) {
        out.printf(
                Locale.ROOT,
                "%s: MAE %.4f RMSE %.4f R2 %.4f (%s, n=%d)",
                part,
                m.mae(),
                m.rmse(),
                m.r2(),
                unit,
                m.count());
        if (!Double.isNaN(m.meanAleatoric())) {
            out.printf(
                    Locale.ROOT,
                    "; mean aleatoric sigma %.4f, epistemic sigma %.4f; within 1 sigma %.3f, 2"
                            + " sigma %.3f",
                    m.meanAleatoric(),
                    m.meanEpistemic(),
                    m.within1Sigma(),
                    m.within2Sigma());
        }
        out.println();
    }
}
