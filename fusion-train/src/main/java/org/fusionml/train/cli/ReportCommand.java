package org.fusionml.train.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.dataset.DatasetProvenance;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.loop.ClosedLoop;
import org.fusionml.train.report.LoopReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion report}: the MAE table of whatever cells of a loop have finished. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description =
                "Writes the tables (table1, table2, ttest, optimal, per-cluster and mean-predictor"
                        + " tables, .md and .csv) and figures (fig2, fig3) from a loop's finished"
                        + " cells.",
        footer = {"", "Example:", "  fusion report --run runs/quickstart"})
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            paramLabel = "DIR",
            description = "A loop directory (what fusion loop --output wrote).")
    Path run;

    /** The loop directory under the name earlier versions used. */
    @Option(names = "--runs", hidden = true)
    Path runs;

    @Override
    public Integer call() throws Exception {
        if ((run == null) == (runs == null)) {
            throw new UserException("fusion report: give the loop directory: --run DIR");
        }
        Path dir = run != null ? run : runs;
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": no such loop directory");
        }
        if (LoopReport.read(dir).isEmpty()) {
            throw new UserException(
                    dir
                            + ": holds no finished cells (cells/*.json); run fusion loop --config"
                            + " FILE.yaml --output "
                            + dir
                            + " first");
        }
        Path loopYaml = dir.resolve("loop.yaml");
        LoopConfig cfg =
                Files.isRegularFile(loopYaml)
                        ? ConfigLoader.load(loopYaml, List.of(), LoopConfig.class)
                        : null;
        if (cfg != null) {
            ClosedLoop loop = new ClosedLoop(cfg, new PrintWriter(Writer.nullWriter()));
            int finished = loop.finishedCells(dir);
            int others = LoopReport.read(dir).size() - finished;
            spec.commandLine()
                    .getOut()
                    .printf(
                            "cells: %d of the %d of loop.yaml finished%s%n%n",
                            finished,
                            loop.cellCount(),
                            others > 0 ? ", " + others + " more of other grids" : "");
        }
        spec.commandLine()
                .getOut()
                .print(
                        LoopReport.write(
                                LoopReport.read(dir),
                                dir,
                                dir,
                                cfg == null ? null : cfg.maxUnprunedRatio(),
                                cfg == null
                                        ? DatasetProvenance.UNKNOWN_UNIT
                                        : cfg.data().targetUnit()));
        return 0;
    }
}
