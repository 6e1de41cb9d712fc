package org.fusionml.train.cli;

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
import org.fusionml.train.split.Datasets;
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
        description = {
            "Trains a model from a YAML configuration.",
            "Writes config.yaml, metrics.jsonl, model.json + model.params and predictions.csv"
                    + " (test",
            "part) into the run directory; an interrupted run resumes from its last checkpoint."
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
        Split split = cfg.data().split(data.size());
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
