package org.fusionml.bench.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionml.bench.AlignnBenchmark;
import org.fusionml.bench.PyTorchReference;
import org.fusionml.data.Ranges;
import org.fusionml.train.cli.OptionChecks;
import org.fusionml.train.cli.UserException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench alignn}: runs {@link AlignnBenchmark} with the PyTorch reference. */
@Command(
        name = "alignn",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion bench alignn --configs small,full --epochs 3 --max-batches 8"
        },
        description =
                "ALIGNN training and inference structures/s at batch 32, next to the PyTorch"
                        + " reference.")
final class BenchAlignnCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Mixin ReferenceOptions pytorch;

    @Option(
            names = "--configs",
            split = ",",
            defaultValue = "small,full",
            description = "small and/or full (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(
            names = "--epochs",
            defaultValue = "3",
            description = "Timed epochs after one warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(
            names = "--max-batches",
            description = "Time only this many training batches per epoch.")
    Integer maxBatches;

    @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
        OptionChecks.check(
                "bench alignn",
                () -> {
                    Ranges.atLeast("--epochs", epochs, 1);
                    if (maxBatches != null) {
                        Ranges.atLeast("--max-batches", maxBatches, 1);
                    }
                });
        List<String> names = new ArrayList<>();
        for (String c : configs) {
            String name = c.toUpperCase(Locale.ROOT);
            if (!name.equals("SMALL") && !name.equals("FULL")) {
                throw new UserException(
                        "fusion bench alignn: --configs takes small and full, not " + c);
            }
            names.add(name);
        }
        PyTorchReference reference = pytorch.reference(shared.dir());
        AlignnBenchmark.run(
                names,
                epochs,
                maxBatches,
                noReference ? null : reference,
                spec.commandLine().getOut());
        return 0;
    }
}
