package org.fusionml.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.fusionml.train.cli.UserException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --shared DIR}: the folder of shared data and reference scripts beside the clone ({@code
 * data/}, {@code bench/}). Without the option: the system property {@code fusion.shared}, else
 * {@value #DEFAULT} relative to the working directory; that folder may be absent (the benchmarks
 * then leave out what needs it). A folder given with the option must exist.
 */
final class SharedOption {
    /** The shared folder when neither the option nor {@code fusion.shared} names one. */
    static final String DEFAULT = "../shared";

    /** The perovskite subset, the benchmarks' second dataset where it exists. */
    static final String PEROVSKITES = "data/matbench_perovskites_subset.json.gz";

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--shared",
            paramLabel = "DIR",
            description =
                    "Shared data and reference folder (data/, bench/). Default: the system"
                            + " property fusion.shared, else "
                            + DEFAULT
                            + " (relative to the working directory).")
    Path given;

    /** The shared folder; a user error when the option names one that does not exist. */
    Path dir() {
        if (given == null) {
            return Path.of(System.getProperty("fusion.shared", DEFAULT));
        }
        if (!Files.isDirectory(given)) {
            throw new UserException(
                    mixee.qualifiedName() + ": --shared " + given + ": no such folder");
        }
        return given;
    }

    /**
     * The shared perovskite subset when it exists, else empty; a user error when the option names a
     * folder that does not exist.
     */
    Optional<Path> perovskites() {
        Path p = dir().resolve(PEROVSKITES);
        return Files.exists(p) ? Optional.of(p) : Optional.empty();
    }
}
