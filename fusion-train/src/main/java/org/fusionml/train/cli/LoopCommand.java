package org.fusionml.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.Ranges;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.loop.CellResult;
import org.fusionml.train.loop.ClosedLoop;
import org.fusionml.train.loop.SlurmPlan;
import org.fusionml.train.report.LoopReport;
import org.fusionml.train.trainer.FolderLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fusion loop}: the FUSION closed loop over methods, pruning ratios and seeds. */
@Command(
        name = "loop",
        mixinStandardHelpOptions = true,
        description = {
            "Runs (or resumes) FUSION's closed loop and writes the MAE table.",
            "Surrogate -> fingerprints -> scores -> for every method, ratio and seed: prune,"
                    + " retrain",
            "the target model, evaluate on the fixed test part. Finished cells are skipped.",
            "With --plan slurm it writes the loop as SLURM jobs (OUTPUT/slurm/submit.sh) instead."
        },
        footer = {
            "",
            "Examples:",
            "  fusion loop --config configs/quickstart.yaml --output runs/quickstart",
            "  fusion loop --config configs/jdft2d-loop-id.yaml --output runs/id --plan slurm"
        })
final class LoopCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE.yaml",
            description = "Loop configuration (configuration.md).")
    Path config;

    /** The configuration as a positional argument, as earlier versions took it. */
    @Parameters(index = "0", arity = "0..1", hidden = true)
    Path positionalConfig;

    @Option(
            names = "--set",
            paramLabel = "path=value",
            description = "Override a configuration value (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(
            names = "--output",
            defaultValue = "runs/loop",
            paramLabel = "DIR",
            description = "Loop directory (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads for fingerprints and scores (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--cell",
            paramLabel = "INDEX",
            description = "Compute only this cell (0-based; what a SLURM array task runs).")
    Integer cell;

    @Option(
            names = "--workers",
            defaultValue = "1",
            paramLabel = "N",
            description =
                    "Cells trained side by side, each worker a process with (cores / N) intra-op"
                            + " threads, after the surrogates and fingerprints (default:"
                            + " ${DEFAULT-VALUE}). Small targets train faster so on few cores;"
                            + " each worker holds the dataset in memory.")
    int workers;

    /**
     * One of the processes of {@code --workers}, whose parent (this pid) holds the loop's lock:
     * takes free cells until none is left.
     */
    @Option(names = "--worker-of", hidden = true, paramLabel = "PID")
    Long workerOf;

    /** The worker's number, 0..N-1: where in the grid it starts looking for a free cell. */
    @Option(names = "--worker-index", hidden = true, defaultValue = "0")
    int workerIndex;

    @Option(
            names = "--prepare",
            description = "Only train the surrogates and committees and write the fingerprints.")
    boolean prepare;

    @Option(
            names = "--plan",
            paramLabel = "slurm",
            description = "Write the loop as jobs for this scheduler instead of running it: slurm.")
    String plan;

    @Option(
            names = "--launcher",
            paramLabel = "PATH",
            description = "The fusion launcher as compute nodes see it (default: this one).")
    Path launcher;

    @Option(names = "--partition", description = "SLURM partition (default: the cluster's).")
    String partition;

    @Option(
            names = "--time",
            defaultValue = "04:00:00",
            description = "SLURM time limit per task (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(
            names = "--cpus-per-task",
            defaultValue = "2",
            description = "SLURM cores per task, also its --threads (default: ${DEFAULT-VALUE}).")
    int cpusPerTask;

    @Option(
            names = "--mem",
            description = "SLURM memory per task, e.g. 8G (default: the cluster's).")
    String memory;

    @Option(
            names = "--gpus",
            defaultValue = "0",
            description = "SLURM GPUs per task (default: ${DEFAULT-VALUE}).")
    int gpus;

    @Option(
            names = "--restart",
            description =
                    "Delete the results of an earlier loop in --output and start over (needed when"
                            + " its settings differ).")
    boolean restart;

    @Override
    public Integer call() throws Exception {
        OptionChecks.check(
                "loop",
                () -> {
                    Ranges.atLeast("--threads", threads, 1);
                    Ranges.atLeast("--cpus-per-task", cpusPerTask, 1);
                    Ranges.atLeast("--gpus", gpus, 0);
                    Ranges.atLeast("--workers", workers, 1);
                });
        if (workers > 1 && (cell != null || plan != null || prepare || workerOf != null)) {
            throw new UserException(
                    "fusion loop: --workers runs the whole loop; it does not go with --cell,"
                            + " --plan or --prepare");
        }
        if (workerOf != null && (cell != null || plan != null || prepare || restart)) {
            throw new UserException(
                    "fusion loop: --worker-of is started by --workers; it does not go with --cell,"
                            + " --plan, --prepare or --restart");
        }
        if ((config == null) == (positionalConfig == null)) {
            throw new UserException(
                    config == null
                            ? "fusion loop: give the loop configuration: --config FILE.yaml"
                            : "fusion loop: the configuration is given twice (--config and a"
                                    + " positional file); keep --config");
        }
        LoopConfig cfg =
                ConfigLoader.load(
                        config != null ? config : positionalConfig, overrides, LoopConfig.class);
        var err = spec.commandLine().getErr();
        ClosedLoop loop = new ClosedLoop(cfg, err);
        if (cell != null) {
            int cells = loop.cellCount();
            OptionChecks.check("loop", () -> Ranges.between("--cell", cell, 0, cells - 1));
        }
        if (plan != null) {
            if (!plan.equals("slurm")) {
                throw new UserException(
                        "fusion loop: --plan " + plan + " is not known; valid: slurm");
            }
            Path self = launcher != null ? launcher : defaultLauncher();
            int cells = loop.cells(output, threads).size();
            Path dir =
                    new SlurmPlan(self.toAbsolutePath(), partition, time, cpusPerTask, memory, gpus)
                            .write(output, ConfigLoader.toYaml(cfg), cells);
            spec.commandLine()
                    .getOut()
                    .println(
                            "wrote "
                                    + dir
                                    + " ("
                                    + cells
                                    + " cells); submit with: "
                                    + dir.resolve("submit.sh"));
            return 0;
        }
        if (prepare) {
            loop.prepare(output, threads, restart);
            err.println("prepared " + output);
            return 0;
        }
        if (workerOf != null) {
            err.println(
                    loop.work(output, threads, workerOf, workerIndex)
                            + " cells computed by this worker");
            return 0;
        }
        int computed;
        if (workers > 1) {
            loop.prepareForWorkers(output, threads, restart);
            // the workers read the configuration as resolved now, not the files again
            Path resolved = Files.createTempFile("fusion-loop-", ".yaml");
            try (FolderLock held = loop.lockWhole(output)) {
                Files.writeString(resolved, ConfigLoader.toYaml(cfg));
                LoopWorkers.Outcome o =
                        LoopWorkers.run(workers, workerArguments(resolved), output, err);
                if (o.exitCode() != 0) {
                    err.println(
                            "fusion loop --workers: a worker failed ("
                                    + o.failure()
                                    + "; its messages are above); the finished cells are kept,"
                                    + " run the same command to resume");
                    return o.exitCode();
                }
                computed = o.computed();
            } finally {
                Files.deleteIfExists(resolved);
            }
        } else {
            computed = loop.run(output, threads, cell == null ? -1 : cell, restart);
        }
        err.println(computed + " cells computed now");
        if (cell == null) {
            spec.commandLine()
                    .getOut()
                    .print(
                            LoopReport.write(
                                    CellResult.readAll(output),
                                    output,
                                    output,
                                    cfg.maxUnprunedRatio(),
                                    cfg.data().targetUnit()));
        }
        return 0;
    }

    /**
     * The arguments of {@code fusion loop} for each worker of {@code --workers}, reading the
     * resolved configuration {@code resolved}; the index is {@link LoopWorkers#WORKER_INDEX}.
     */
    private List<String> workerArguments(Path resolved) {
        return List.of(
                "loop",
                "--config",
                resolved.toString(),
                "--output",
                output.toString(),
                "--threads",
                "1",
                "--worker-of",
                String.valueOf(ProcessHandle.current().pid()),
                "--worker-index",
                LoopWorkers.WORKER_INDEX);
    }

    private static Path defaultLauncher() {
        String p = System.getProperty("fusion.launcher");
        if (p == null) {
            throw new UserException(
                    "fusion loop --plan slurm: give --launcher PATH (the fusion launcher as compute"
                            + " nodes see it)");
        }
        return Path.of(p);
    }
}
