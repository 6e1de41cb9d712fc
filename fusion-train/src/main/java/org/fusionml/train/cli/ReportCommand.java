package org.fusionml.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.dataset.DatasetProvenance;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
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
                        + " cells.")
final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--runs",
            required = true,
            paramLabel = "DIR",
            description = "A loop directory.")
    Path runs;

    @Override
    public Integer call() throws Exception {
        Path loopYaml = runs.resolve("loop.yaml");
        LoopConfig cfg =
                Files.isRegularFile(loopYaml)
                        ? ConfigLoader.load(loopYaml, List.of(), LoopConfig.class)
                        : null;
        spec.commandLine()
                .getOut()
                .print(
                        LoopReport.write(
                                LoopReport.read(runs),
                                runs,
                                runs,
                                cfg == null ? null : cfg.maxUnprunedRatio(),
                                cfg == null
                                        ? DatasetProvenance.UNKNOWN_UNIT
                                        : cfg.data().targetUnit()));
        return 0;
    }
}
