package org.fusionml.train.fusion;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.baseline.Pruning;
import org.fusionml.train.baseline.PruningInput;
import org.fusionml.train.baseline.PruningStrategy;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.config.TrainConfig;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.Predictions;

/**
 * FUSION's closed loop (paper Section 3.5): split (fixed test part) -> evidential surrogate on the
 * training part -> fingerprints of the candidates (training + validation) -> scores -> for every
 * method, ratio and seed: prune the candidates, retrain the target model on what is left, evaluate
 * on the fixed test part. Every cell writes {@code cells/METHOD_rRATIO_sSEED.json} atomically and a
 * re-run skips the cells that exist, so an interrupted loop resumes cell by cell.
 */
public final class ClosedLoop {
  private final LoopConfig config;
  private final PrintWriter log;

  public ClosedLoop(LoopConfig config, PrintWriter log) {
    this.config = config;
    this.log = log;
  }

  /** Runs (or resumes) the loop in {@code out}; returns the number of cells computed now. */
  public int run(Path out, int threads) throws IOException {
    Files.createDirectories(out.resolve("cells"));
    AtomicFiles.writeString(out.resolve("loop.yaml"), ConfigLoader.toYaml(config));
    TrainConfig.Data dc = config.data();
    CrystalDataset data = dc.load();
    Split split = dc.split(data.size());
    int[] candidates = split.trainAndVal();

    Path surrogateDir = out.resolve("surrogate");
    if (!Files.exists(surrogateDir.resolve("result.json"))) {
      log.println("surrogate: training " + config.surrogate().model().type() + " (evidential)");
      new GraphTrainer(withData(config.surrogate()), log).train(data, split, surrogateDir);
    }
    LoopConfig.Scores sc = config.scores();
    CrystalDataset pool = data.select(candidates);
    List<Fingerprint> fps = new FingerprintCache(out.resolve("fingerprints"))
        .getOrCompute(pool, new SoapConfig(sc.rCut(), sc.nMax(), sc.lMax(), sc.sigma(), true), sc.symprec(), threads, n -> {});
    FusionScorer.Table table;
    try (GraphModel surrogate = GraphModel.load(surrogateDir)) {
      Predictions p = surrogate.predict(surrogate.samples(pool.entries().stream().map(e -> e.structure()).toList()), 64);
      table = FusionScorer.score(p, surrogate.targetStd(), fps, sc.lambda(), sc.gamma(),
          sc.weighting().equals("cosine") ? FusionScorer.Weighting.COSINE : FusionScorer.Weighting.EUCLIDEAN, threads);
    }
    PruningInput input = new PruningInput(candidates, table.uncertainty(), table.weighting(), table.influence(), fps, null,
        pool.entries().stream().map(e -> e.structure()).toList(), data.provenance().sha256());
    if (config.methods().contains("committee")) {
      input = input.withDisagreement(committeeDisagreement(data, split, pool, out));
    }

    List<Cell> cells = new ArrayList<>();
    for (long seed : config.seeds()) {
      if (config.ratios().contains(0.0)) {
        cells.add(new Cell("none", 0.0, seed));
      }
      for (String method : config.methods()) {
        for (double ratio : config.ratios()) {
          if (ratio > 0) {
            cells.add(new Cell(method, ratio, seed));
          }
        }
      }
    }
    java.util.Map<String, PruningStrategy> strategies = new java.util.HashMap<>();
    int done = 0;
    long t0 = System.nanoTime();
    int computed = 0;
    for (Cell c : cells) {
      Path file = out.resolve("cells").resolve(c.name() + ".json");
      done++;
      if (Files.exists(file)) {
        continue;
      }
      Pruning pruning = c.method().equals("none")
          ? PruningStrategy.random().prune(input, 0.0, c.seed())
          : strategies.computeIfAbsent(c.method(), m -> strategy(m, threads)).prune(input, c.ratio(), c.seed());
      Split pruned = keep(split, pruning);
      TrainConfig target = withSeed(withData(config.target()), c.seed());
      GraphTrainer.Result r = new GraphTrainer(target, new PrintWriter(java.io.Writer.nullWriter())).train(data, pruned, out.resolve("runs").resolve(c.name()));
      ObjectMapper json = new ObjectMapper();
      ObjectNode node = json.createObjectNode();
      node.put("method", c.method());
      node.put("ratio", c.ratio());
      node.put("seed", c.seed());
      node.put("architecture", target.model().type());
      node.put("removed", pruning.removed().length);
      node.put("train_size", pruned.train().length);
      node.put("val_size", pruned.val().length);
      node.put("test_mae", r.test().mae());
      node.put("test_rmse", r.test().rmse());
      node.put("val_mae", r.validation().mae());
      node.put("epochs", r.epochs());
      node.put("source_sha256", pruning.sourceSha256());
      AtomicFiles.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(node));
      computed++;
      double elapsed = (System.nanoTime() - t0) * 1e-9;
      log.printf(Locale.ROOT, "cell %d/%d %s: test MAE %.4f (%.0fs, ETA %.0fs)%n", done, cells.size(), c.name(), r.test().mae(),
          elapsed, elapsed / computed * (cells.size() - done));
      log.flush();
    }
    return computed;
  }

  /**
   * Query by committee: {@code committee_size} surrogates (the surrogate configuration with seeds
   * 0, 1, ...) trained on the training part; the standard deviation of their predictions for each
   * candidate, in the target unit.
   */
  private double[] committeeDisagreement(CrystalDataset data, Split split, CrystalDataset pool, Path out) throws IOException {
    int members = config.committeeSize();
    double[][] predictions = new double[members][];
    for (int k = 0; k < members; k++) {
      Path dir = out.resolve("committee").resolve("member_" + k);
      if (!Files.exists(dir.resolve("result.json"))) {
        log.println("committee: training member " + (k + 1) + " of " + members);
        new GraphTrainer(withSeed(withData(config.surrogate()), k), new PrintWriter(java.io.Writer.nullWriter())).train(data, split, dir);
      }
      try (GraphModel m = GraphModel.load(dir)) {
        predictions[k] = m.predict(m.samples(pool.entries().stream().map(e -> e.structure()).toList()), 64).prediction();
      }
    }
    double[] std = new double[pool.size()];
    for (int i = 0; i < std.length; i++) {
      double mean = 0;
      for (double[] p : predictions) {
        mean += p[i] / members;
      }
      double var = 0;
      for (double[] p : predictions) {
        var += (p[i] - mean) * (p[i] - mean) / members;
      }
      std[i] = Math.sqrt(var);
    }
    return std;
  }

  /** One (method, ratio, seed) of the grid. */
  public record Cell(String method, double ratio, long seed) {
    public String name() {
      return String.format(Locale.ROOT, "%s_r%.3f_s%d", method, ratio, seed);
    }
  }

  PruningStrategy strategy(String name, int threads) {
    return switch (name) {
      case "fusion" -> PruningStrategy.fusion();
      case "random" -> PruningStrategy.random();
      case "uncertainty" -> PruningStrategy.uncertainty();
      case "weighting_factor" -> PruningStrategy.weightingFactor();
      case "diversity" -> PruningStrategy.diversity();
      case "committee" -> PruningStrategy.committee();
      case "msc" -> PruningStrategy.minimumSetCover(new Quests(config.msc().k(), config.msc().cutoff()),
          new KernelEntropy(config.msc().bandwidth(), threads));
      default -> throw new IllegalArgumentException("unknown method " + name);
    };
  }

  /** The split with the removed structures taken out of its training and validation parts. */
  static Split keep(Split split, Pruning pruning) {
    int[] removed = pruning.removed();
    java.util.function.IntPredicate kept = i -> Arrays.binarySearch(removed, i) < 0;
    return new Split(Arrays.stream(split.train()).filter(kept).toArray(), Arrays.stream(split.val()).filter(kept).toArray(), split.test());
  }

  private TrainConfig withData(TrainConfig c) {
    return new TrainConfig(config.data(), c.model(), c.loss(), c.train());
  }

  private static TrainConfig withSeed(TrainConfig c, long seed) {
    return new TrainConfig(c.data(), c.model(), c.loss(), c.train().withSeed(seed));
  }
}
