package org.fusionml.bench.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fusionml.bench.PruneScaleBenchmark;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.FingerprintStore;
import org.fusionml.train.cli.OptionChecks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench prune-scale}: runs {@link PruneScaleBenchmark}. */
@Command(
        name = "prune-scale",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  JAVA_OPTS=-Xmx4g fusion bench prune-scale --n 100000 --store /tmp/ps.fps"
        },
        description =
                "FUSION pruning at scale: n fingerprints of perturbed perovskites streamed to disk,"
                        + " W from the memory-mapped file, I and Eq. 7; wall time and peak RSS per"
                        + " stage.")
final class BenchPruneScaleCommand implements Runnable {
    @Spec CommandSpec spec;

    @Mixin SharedOption shared;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Structures to copy. Default: "
                            + SharedOption.PEROVSKITES
                            + " of the shared folder where it exists, else jdft2d.")
    Path input;

    @Option(
            names = "--n",
            defaultValue = "1000000",
            description = "Fingerprints (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Seed of the perturbations (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--store",
            paramLabel = "FILE",
            description =
                    "The fingerprint store; one written before for the same --n, --seed and input"
                            + " is reused (default: a temporary file, deleted at the end).")
    Path store;

    @Option(
            names = "--chunk-mib",
            defaultValue = "1024",
            description = "Most MiB of the store mapped per chunk (default: ${DEFAULT-VALUE}).")
    int chunkMib;

    @Option(
            names = "--verify",
            defaultValue = "0",
            description =
                    "Rows whose nearest neighbour is checked against a scan of every row"
                            + " (default: ${DEFAULT-VALUE}, none).")
    int verify;

    @Override
    public void run() {
        OptionChecks.check(
                "bench prune-scale",
                () -> {
                    Ranges.atLeast("--n", n, 2);
                    Ranges.atLeast("--threads", threads, 1);
                    Ranges.atLeast("--verify", verify, 0);
                    Ranges.between(
                            "--chunk-mib",
                            chunkMib,
                            1,
                            (int) (FingerprintStore.MAX_CHUNK_BYTES >> 20));
                });
        Path data = input != null ? input : shared.perovskites().orElse(null);
        CrystalDataset bases =
                data == null ? DatasetLoader.embeddedDefault() : DatasetLoader.load(data, null);
        Path file = store;
        try {
            if (file == null) {
                file = Files.createTempFile("fusion-prune-scale-", ".fps");
                file.toFile().deleteOnExit();
            }
            PruneScaleBenchmark.run(
                    bases,
                    n,
                    seed,
                    threads,
                    file,
                    (long) chunkMib << 20,
                    verify,
                    spec.commandLine().getOut());
            if (store == null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
