package org.fusionml.train.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.eval.LoopReport;
import org.fusionml.train.fusion.ClosedLoop;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fusion loop}: the FUSION closed loop over methods, pruning ratios and seeds. */
@Command(
    name = "loop",
    mixinStandardHelpOptions = true,
    description = {
      "Runs (or resumes) FUSION's closed loop and writes the MAE table.",
      "Surrogate -> fingerprints -> scores -> for every method, ratio and seed: prune, retrain",
      "the target model, evaluate on the fixed test part. Finished cells are skipped."
    })
final class LoopCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "Loop configuration.")
  Path config;

  @Option(names = "--set", paramLabel = "path=value", description = "Override a configuration value (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--output", defaultValue = "runs/loop", paramLabel = "DIR", description = "Loop directory (default: ${DEFAULT-VALUE}).")
  Path output;

  @Option(names = "--threads", defaultValue = "2", description = "Threads for fingerprints and scores (default: ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    LoopConfig cfg = ConfigLoader.load(config, overrides, LoopConfig.class);
    var err = spec.commandLine().getErr();
    int computed = new ClosedLoop(cfg, err).run(output, threads);
    err.println(computed + " cells computed now");
    spec.commandLine().getOut().print(LoopReport.write(LoopReport.read(output), output));
    return 0;
  }
}
