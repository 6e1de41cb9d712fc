package org.fusionml.bench.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fusionml.bench.AlignnBenchmark;
import org.fusionml.bench.EntropyBenchmark;
import org.fusionml.bench.FingerprintBenchmark;
import org.fusionml.bench.GraphBenchmark;
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

/** {@code fusion bench}: benchmarks printing {@code bench <what> key=value ...} lines. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks; each prints one machine-readable line per figure.",
        subcommands = {
            BenchCommand.Graph.class,
            BenchCommand.Fingerprints.class,
            BenchCommand.Entropy.class,
            BenchCommand.Alignn.class,
            BenchCommand.Learn.class
        })
final class BenchCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code --shared DIR}: the folder of shared data and reference scripts beside the clone
     * ({@code data/}, {@code bench/}). Without the option: the system property {@code
     * fusion.shared}, else {@value #DEFAULT} relative to the working directory; that folder may be
     * absent (the benchmarks then leave out what needs it). A folder given with the option must
     * exist.
     */
    static final class SharedOption {
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
         * The shared perovskite subset when it exists, else empty; a user error when the option
         * names a folder that does not exist.
         */
        Optional<Path> perovskites() {
            Path p = dir().resolve(PEROVSKITES);
            return Files.exists(p) ? Optional.of(p) : Optional.empty();
        }
    }

    /**
     * {@code --python} and {@code --reference-script}: the PyTorch reference the ALIGNN benchmarks
     * run. Paths given with the options must exist; the defaults may be absent, and the benchmark
     * lines then say that the reference is unavailable.
     */
    static final class ReferenceOptions {
        /** The interpreter when the option is not given: Debian's, which has torch and pymatgen. */
        static final String DEFAULT_PYTHON = "/usr/bin/python3";

        /** The reference script in the shared folder. */
        static final String SCRIPT = "bench/alignn_pytorch_ref.py";

        @Spec(Spec.Target.MIXEE)
        CommandSpec mixee;

        @Option(
                names = "--python",
                paramLabel = "FILE",
                description =
                        "Python interpreter with torch and pymatgen, a path or a name looked up on"
                                + " PATH. Default: "
                                + DEFAULT_PYTHON
                                + ".")
        Path python;

        @Option(
                names = "--reference-script",
                paramLabel = "FILE.py",
                description =
                        "The PyTorch reference. Default: " + SCRIPT + " in the shared folder.")
        Path script;

        /** The reference, its script in {@code shared} unless given. */
        PyTorchReference reference(Path shared) {
            PyTorchReference r =
                    new PyTorchReference(
                            python != null ? python : Path.of(DEFAULT_PYTHON),
                            script != null ? script : shared.resolve(SCRIPT));
            if (python != null && r.interpreter().isEmpty()) {
                throw new UserException(
                        mixee.qualifiedName()
                                + ": --python "
                                + python
                                + (python.getParent() == null
                                        ? ": not on PATH"
                                        : ": no such file"));
            }
            if (script != null && !Files.isRegularFile(script)) {
                throw new UserException(
                        mixee.qualifiedName()
                                + ": --reference-script "
                                + script
                                + ": no such file");
            }
            return r;
        }
    }

    @Command(
            name = "graph",
            mixinStandardHelpOptions = true,
            description = "Dataset load time and k-NN + line graph structures/s on one thread.")
    static final class Graph implements Runnable {
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

    @Command(
            name = "fingerprints",
            mixinStandardHelpOptions = true,
            description =
                    "Symmetry and SOAP fingerprint structures/s on jdft2d; nearest-neighbour search"
                            + " time.")
    static final class Fingerprints implements Runnable {
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
                description =
                        "Threads of the nearest-neighbour search (default: ${DEFAULT-VALUE}).")
        int threads;

        @Override
        public void run() {
            Optional<Path> perovskites = shared.perovskites();
            Path nn = nnInput != null ? nnInput : perovskites.orElse(null);
            FingerprintBenchmark.run(nn, seconds, threads, spec.commandLine().getOut());
        }
    }

    @Command(
            name = "entropy",
            mixinStandardHelpOptions = true,
            description =
                    "QUESTS descriptors/s and the kernel entropy of 10^5 environments (seconds).")
    static final class Entropy implements Runnable {
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
            Optional<Path> perovskites = shared.perovskites();
            List<Path> files = new ArrayList<>(inputs);
            if (files.isEmpty()) {
                perovskites.ifPresent(files::add);
            }
            EntropyBenchmark.run(files, environments, threads, spec.commandLine().getOut());
        }
    }

    @Command(
            name = "alignn",
            mixinStandardHelpOptions = true,
            description =
                    "ALIGNN training and inference structures/s at batch 32, next to the PyTorch"
                            + " reference.")
    static final class Alignn implements java.util.concurrent.Callable<Integer> {
        @Spec CommandSpec spec;

        @Mixin SharedOption shared;

        @Mixin ReferenceOptions pytorch;

        @Option(
                names = "--configs",
                split = ",",
                defaultValue = "SMALL,FULL",
                description = "SMALL and/or FULL (default: ${DEFAULT-VALUE}).")
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
            for (String c : configs) {
                if (!c.equals("SMALL") && !c.equals("FULL")) {
                    throw new UserException(
                            "fusion bench alignn: --configs takes SMALL and FULL, not " + c);
                }
            }
            PyTorchReference reference = pytorch.reference(shared.dir());
            AlignnBenchmark.run(
                    configs,
                    epochs,
                    maxBatches,
                    noReference ? null : reference,
                    spec.commandLine().getOut());
            return 0;
        }
    }

    @Command(
            name = "learn",
            mixinStandardHelpOptions = true,
            description = {
                "Learning check: test MAE / the training mean's test MAE of a training"
                        + " configuration, next to",
                "the plain PyTorch ALIGNN of the shared folder trained on the same split"
                        + " (bench/alignn_reference_learn.py)."
            })
    static final class Learn implements java.util.concurrent.Callable<Integer> {
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
}
