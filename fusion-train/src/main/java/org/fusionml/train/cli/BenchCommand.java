package org.fusionml.train.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.bench.AlignnBenchmark;
import org.fusionml.train.bench.EntropyBenchmark;
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
    subcommands = {BenchCommand.Graph.class, BenchCommand.Fingerprints.class, BenchCommand.Entropy.class, BenchCommand.Alignn.class})
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

  @Command(
      name = "entropy",
      mixinStandardHelpOptions = true,
      description = "QUESTS descriptors/s and the kernel entropy of 10^5 environments (seconds).")
  static final class Entropy implements Runnable {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--input",
        paramLabel = "FILE",
        description = "Further datasets whose environments join jdft2d's (repeatable). Default:"
            + " ../shared/data/matbench_perovskites_subset.json.gz where it exists.")
    List<Path> inputs = new ArrayList<>();

    @Option(names = "--environments", defaultValue = "100000", description = "Environments in the entropy (default: ${DEFAULT-VALUE}).")
    int environments;

    @Option(names = "--threads", defaultValue = "2", description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public void run() {
      List<Path> files = new ArrayList<>(inputs);
      Path perovskites = Path.of("../shared/data/matbench_perovskites_subset.json.gz");
      if (files.isEmpty() && Files.exists(perovskites)) {
        files.add(perovskites);
      }
      EntropyBenchmark.run(files, environments, threads, spec.commandLine().getOut());
    }
  }

  @Command(
      name = "alignn",
      mixinStandardHelpOptions = true,
      description = "ALIGNN training and inference structures/s at batch 32, next to the PyTorch reference.")
  static final class Alignn implements java.util.concurrent.Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--configs", split = ",", defaultValue = "SMALL,FULL", description = "SMALL and/or FULL (default: ${DEFAULT-VALUE}).")
    List<String> configs;

    @Option(names = "--epochs", defaultValue = "3", description = "Timed epochs after one warm-up (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-batches", description = "Time only this many training batches per epoch.")
    Integer maxBatches;

    @Option(names = "--no-reference", description = "Do not run the PyTorch reference.")
    boolean noReference;

    @Override
    public Integer call() throws Exception {
      for (String c : configs) {
        if (!c.equals("SMALL") && !c.equals("FULL")) {
          throw new UserException("fusion bench alignn: --configs takes SMALL and FULL, not " + c);
        }
      }
      AlignnBenchmark.run(configs, epochs, maxBatches, !noReference, spec.commandLine().getOut());
      return 0;
    }
  }
}
