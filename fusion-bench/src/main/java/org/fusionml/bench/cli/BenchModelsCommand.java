package org.fusionml.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.bench.ModelBenchmark;
import org.fusionml.bench.PyTorchReference;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.models.Architectures;
import org.fusionml.train.cli.OptionChecks;
import org.fusionml.train.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fusion bench models}: runs {@link ModelBenchmark} for architectures of the registry, with
 * the plain PyTorch CGCNN and SchNet of {@code bench/graph_models_pytorch_ref.py}, which also runs
 * the shared folder's ALIGNN ({@code --shared}).
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Examples:",
            "  fusion bench models",
            "  fusion bench models --types cgcnn,schnet --warmup-batches 2 --batches 5"
        },
        description =
                "Training and inference structures/s of each architecture on jdft2d (batch 32,"
                        + " the configuration configs/jdft2d-<type>.yaml with a regression head),"
                        + " next to the plain PyTorch reference where there is one (cgcnn,"
                        + " schnet, alignn).")
final class BenchModelsCommand implements Callable<Integer> {
    /** The interpreter when the option is not given: Debian's, which has torch. */
    static final String DEFAULT_PYTHON = "/usr/bin/python3";

    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Option(
            names = "--types",
            split = ",",
            paramLabel = "TYPE",
            description = "Architectures to measure (default: all of the registry, in its order).")
    List<String> types;

    @Option(
            names = "--config-dir",
            paramLabel = "DIR",
            defaultValue = "configs",
            description =
                    "Folder of jdft2d-<type>.yaml (else jdft2d-<type>-small.yaml, else the"
                            + " architecture's defaults). Default: ${DEFAULT-VALUE}.")
    Path configDir;

    @Option(
            names = "--batch-size",
            defaultValue = "32",
            description = "Structures per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--warmup-batches",
            defaultValue = "100",
            description =
                    "Untimed batches first (default: ${DEFAULT-VALUE}; fewer leave the JVM's"
                            + " just-in-time compilation inside the timed batches).")
    int warmupBatches;

    @Option(
            names = "--batches",
            defaultValue = "300",
            description = "Timed batches (default: ${DEFAULT-VALUE}).")
    int batches;

    @Option(
            names = "--python",
            paramLabel = "FILE",
            description =
                    "Python interpreter with torch, a path or a name looked up on PATH. Default: "
                            + DEFAULT_PYTHON
                            + ".")
    Path python;

    @Option(
            names = "--reference-script",
            paramLabel = "FILE.py",
            defaultValue = "bench/graph_models_pytorch_ref.py",
            description =
                    "The PyTorch references, relative to the working directory (default:"
                            + " ${DEFAULT-VALUE}); ALIGNN's is "
                            + ReferenceOptions.SCRIPT
                            + " of the shared folder.")
    Path script;

    @Option(names = "--no-reference", description = "Do not run the PyTorch references.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
        String command = "bench models";
        OptionChecks.check(
                command,
                () -> {
                    Ranges.atLeast("--batch-size", batchSize, 1);
                    Ranges.atLeast("--warmup-batches", warmupBatches, 0);
                    Ranges.atLeast("--batches", batches, 1);
                });
        Path alignnReference = shared.dir().resolve(ReferenceOptions.SCRIPT);
        List<String> chosen = types == null ? List.copyOf(Architectures.TYPES.keySet()) : types;
        for (String t : chosen) {
            if (!Architectures.TYPES.containsKey(t)) {
                throw new UserException(
                        "fusion "
                                + command
                                + ": --types: unknown type '"
                                + t
                                + "'; valid: "
                                + String.join(", ", Architectures.TYPES.keySet()));
            }
        }
        if (!Files.isDirectory(configDir)) {
            throw new UserException(
                    "fusion " + command + ": --config-dir " + configDir + ": no such folder");
        }
        PyTorchReference reference =
                new PyTorchReference(python != null ? python : Path.of(DEFAULT_PYTHON), script);
        if (python != null && reference.interpreter().isEmpty()) {
            throw new UserException(
                    "fusion "
                            + command
                            + ": --python "
                            + python
                            + (python.getParent() == null ? ": not on PATH" : ": no such file"));
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--reference-script")
                && !Files.isRegularFile(script)) {
            throw new UserException(
                    "fusion " + command + ": --reference-script " + script + ": no such file");
        }
        List<ModelBenchmark.Subject> subjects = new ArrayList<>();
        for (String t : chosen) {
            subjects.add(ModelBenchmark.subject(t, configDir));
        }
        CrystalDataset data = DatasetLoader.embeddedDefault();
        OptionChecks.check(
                command, () -> Ranges.between("--batch-size", batchSize, 1, data.size()));
        ModelBenchmark.run(
                data,
                subjects,
                new ModelBenchmark.Settings(batchSize, warmupBatches, batches),
                noReference ? null : reference,
                alignnReference,
                spec.commandLine().getOut());
        return 0;
    }
}
