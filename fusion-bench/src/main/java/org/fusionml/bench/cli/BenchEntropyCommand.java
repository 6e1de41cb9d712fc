package org.fusionml.bench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusionml.bench.EntropyBenchmark;
import org.fusionml.data.Ranges;
import org.fusionml.train.cli.OptionChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench entropy}: runs {@link EntropyBenchmark}. */
@Command(
        name = "entropy",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion bench entropy --environments 100000 --threads 2"},
        description = "QUESTS descriptors/s and the kernel entropy of 10^5 environments (seconds).")
final class BenchEntropyCommand implements Runnable {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Further datasets whose environments join jdft2d's (repeatable). Default: "
                            + SharedOption.PEROVSKITES
                            + " of the shared folder where it exists.")
    List<Path> inputs = new ArrayList<>();

    @Option(
            names = "--environments",
            defaultValue = "100000",
            description = "Environments in the entropy (default: ${DEFAULT-VALUE}).")
    int environments;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public void run() {
        OptionChecks.check(
                "bench entropy",
                () -> {
                    Ranges.atLeast("--environments", environments, 1);
                    Ranges.atLeast("--threads", threads, 1);
                });
        Optional<Path> perovskites = shared.perovskites();
        List<Path> files = new ArrayList<>(inputs);
        if (files.isEmpty()) {
            perovskites.ifPresent(files::add);
        }
        EntropyBenchmark.run(files, environments, threads, spec.commandLine().getOut());
    }
}
