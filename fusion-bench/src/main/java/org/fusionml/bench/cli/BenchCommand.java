package org.fusionml.bench.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code fusion bench}: benchmarks printing {@code bench <what> key=value ...} lines; one class per
 * subcommand ({@code Bench*Command}), with the shared options {@link SharedOption} and {@link
 * ReferenceOptions}.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion bench alignn --configs small"},
        description = "Benchmarks; each prints one machine-readable line per figure.",
        subcommands = {
            BenchGraphCommand.class,
            BenchFingerprintsCommand.class,
            BenchEntropyCommand.class,
            BenchAlignnCommand.class,
            BenchModelsCommand.class,
            BenchLearnCommand.class,
            BenchPruneScaleCommand.class
        })
final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
