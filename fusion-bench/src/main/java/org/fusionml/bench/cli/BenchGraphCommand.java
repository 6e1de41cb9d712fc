package org.fusionml.bench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusionml.bench.GraphBenchmark;
import org.fusionml.data.Ranges;
import org.fusionml.train.cli.OptionChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench graph}: runs {@link GraphBenchmark} on each dataset. */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion bench graph --seconds 5"},
        description = "Dataset load time and k-NN + line graph structures/s on one thread.")
final class BenchGraphCommand implements Runnable {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Datasets to measure (repeatable). Default: the embedded jdft2d, and "
                            + SharedOption.PEROVSKITES
                            + " of the shared folder where it exists.")
    List<Path> inputs = new ArrayList<>();

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "Minimum timed seconds per dataset (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public void run() {
        OptionChecks.check(
                "bench graph",
                () -> {
                    Ranges.nonNegative("--seconds", seconds, "s");
                });
        Optional<Path> perovskites = shared.perovskites();
        List<Path> files = new ArrayList<>(inputs);
        if (files.isEmpty()) {
            files.add(null);
            perovskites.ifPresent(files::add);
        }
        for (Path f : files) {
            GraphBenchmark.run(f, seconds, spec.commandLine().getOut());
        }
    }
}
