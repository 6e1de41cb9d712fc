package org.fusionml.bench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.bench.LearningBenchmark;
import org.fusionml.bench.PyTorchReference;
import org.fusionml.train.cli.UserException;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.LossSettings;
import org.fusionml.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fusion bench learn}: runs {@link LearningBenchmark} on a training configuration, next to
 * the PyTorch reference.
 */
@Command(
        name = "learn",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion bench learn --config configs/jdft2d-alignn-small.yaml --no-reference"
        },
        description = {
            "Learning check: test MAE / the training mean's test MAE of a training"
                    + " configuration, next to",
            "the plain PyTorch ALIGNN of the shared folder trained on the same split"
                    + " (bench/alignn_reference_learn.py)."
        })
final class BenchLearnCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Mixin ReferenceOptions pytorch;

    @Option(
            names = "--config",
            defaultValue = "configs/jdft2d-alignn-small.yaml",
            paramLabel = "FILE.yaml",
            description = "Training configuration (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(
            names = "--set",
            paramLabel = "path=value",
            description = "Override a configuration value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--output",
            defaultValue = "runs/bench-learn",
            paramLabel = "DIR",
            description =
                    "Where the framework's run (DIR/fusion, resumable) and the split handed to"
                            + " the reference go (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(
            names = "--reference-loss",
            description =
                    "The reference's loss: der (with an evidential head), mae or mse (ALIGNN's"
                            + " default); default: the configuration's loss.type, so both sides"
                            + " train the same head with the same loss.")
    String referenceLoss;

    @Option(
            names = "--learner",
            defaultValue = "bench/alignn_reference_learn.py",
            paramLabel = "FILE.py",
            description =
                    "The reference's training script (default: ${DEFAULT-VALUE}, relative to"
                            + " the repository root).")
    Path learner;

    @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
    boolean noReference;

    @Option(
            names = "--same-start",
            description =
                    "Both sides start from the reference's initial weights and visit the"
                            + " training structures in the framework's order; a third line compares"
                            + " the two runs epoch by epoch.")
    boolean sameStart;

    @Override
    public Integer call() throws Exception {
        if (referenceLoss != null && !LossSettings.TYPES.contains(referenceLoss)) {
            throw new UserException(
                    "fusion bench learn: --reference-loss takes one of "
                            + String.join(", ", LossSettings.TYPES)
                            + ", not "
                            + referenceLoss);
        }
        PyTorchReference reference = pytorch.reference(shared.dir());
        TrainConfig cfg = ConfigLoader.load(config, overrides, TrainConfig.class);
        LearningBenchmark.run(
                cfg,
                output,
                reference,
                noReference ? null : learner,
                referenceLoss == null ? cfg.loss().type() : referenceLoss,
                sameStart,
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
        return 0;
    }
}
