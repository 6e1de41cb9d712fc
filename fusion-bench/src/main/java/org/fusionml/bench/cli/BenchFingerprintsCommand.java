package org.fusionml.bench.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.fusionml.bench.FingerprintBenchmark;
import org.fusionml.data.Ranges;
import org.fusionml.train.cli.OptionChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench fingerprints}: runs {@link FingerprintBenchmark}. */
@Command(
        name = "fingerprints",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion bench fingerprints --seconds 5"},
        description =
                "Symmetry and SOAP fingerprint structures/s on jdft2d; nearest-neighbour search"
                        + " time.")
final class BenchFingerprintsCommand implements Runnable {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Option(
            names = "--nn-input",
            paramLabel = "FILE",
            description =
                    "Dataset for the nearest-neighbour search. Default: "
                            + SharedOption.PEROVSKITES
                            + " of the shared folder where it exists, else jdft2d.")
    Path nnInput;

    @Option(
            names = "--seconds",
            defaultValue = "5",
            description = "Minimum timed seconds per figure (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads of the nearest-neighbour search (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public void run() {
        OptionChecks.check(
                "bench fingerprints",
                () -> {
                    Ranges.nonNegative("--seconds", seconds, "s");
                    Ranges.atLeast("--threads", threads, 1);
                });
        Optional<Path> perovskites = shared.perovskites();
        Path nn = nnInput != null ? nnInput : perovskites.orElse(null);
        FingerprintBenchmark.run(nn, seconds, threads, spec.commandLine().getOut());
    }
}
