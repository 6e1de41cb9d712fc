package org.fusionml.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.bench.FingerprintBenchmark;
import org.fusionml.train.bench.GraphBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion bench}: benchmarks printing {@code bench <what> key=value ...} lines. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmarks; each prints one machine-readable line per figure.",
    subcommands = {BenchCommand.Graph.class, BenchCommand.Fingerprints.class})
final class BenchCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "graph",
      mixinStandardHelpOptions = true,
      description = "Dataset load time and k-NN + line graph structures/s on one thread.")
  static final class Graph implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--input",
        paramLabel = "FILE",
        description = "Datasets to measure (repeatable). Default: the embedded jdft2d, and"
            + " ../shared/data/matbench_perovskites_subset.json.gz where it exists.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--seconds", defaultValue = "5", description = "Minimum timed seconds per dataset (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Override
    public void run() {
      List<Path> files = new ArrayList<>(inputs);
      if (files.isEmpty()) {
        files.add(null);
        Path perovskites = Path.of("../shared/data/matbench_perovskites_subset.json.gz");
        if (Files.exists(perovskites)) {
          files.add(perovskites);
        }
      }
      for (Path f : files) {
        GraphBenchmark.run(f, seconds, spec.commandLine().getOut());
      }
    }
  }

  @Command(
      name = "fingerprints",
      mixinStandardHelpOptions = true,
      description = "Symmetry and SOAP fingerprint structures/s on jdft2d; nearest-neighbour search time.")
  static final class Fingerprints implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--nn-input",
        paramLabel = "FILE",
        description = "Dataset for the nearest-neighbour search. Default:"
            + " ../shared/data/matbench_perovskites_subset.json.gz where it exists, else jdft2d.")
    Path nnInput;

    @Option(names = "--seconds", defaultValue = "5", description = "Minimum timed seconds per figure (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--threads", defaultValue = "2", description = "Threads of the nearest-neighbour search (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public void run() {
      Path nn = nnInput;
      Path perovskites = Path.of("../shared/data/matbench_perovskites_subset.json.gz");
      if (nn == null && Files.exists(perovskites)) {
        nn = perovskites;
      }
      FingerprintBenchmark.run(nn, seconds, threads, spec.commandLine().getOut());
    }
  }
}
