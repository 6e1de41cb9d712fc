package org.fusionml.train.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.fusionml.data.descriptor.Quests;
import org.fusionml.train.prune.MeaGraph;

/**
 * A FUSION closed loop: the shared data split, the evidential surrogate, the fingerprint and score
 * settings, the target model retrained on every pruned set, and the grid of methods, pruning
 * ratios and seeds.
 *
 * @param data dataset and split (shared by surrogate and targets; the test part is fixed)
 * @param surrogate surrogate model, loss and training (its data section is ignored)
 * @param target target model, loss and training (its data section is ignored)
 * @param targets several target architectures instead of {@code target} (distinct model types)
 * @param scores FUSION score settings
 * @param methods pruning methods: fusion, random, uncertainty, weighting_factor, diversity,
 *     committee (query by committee), msc (minimum set cover over QUESTS environments), meagraph
 *     (graph-autoencoder clustering of SOAP environments)
 * @param committeeSize surrogates in the committee (default 5, as the paper)
 * @param msc minimum-set-cover settings
 * @param meagraph MEAGraph settings
 * @param ratios pruning ratios in [0, 1]; 0 trains on everything once per seed (none when only
 *     {@code epsilons} are given)
 * @param epsilons tolerances epsilon of Eq. 7 (> 0), a grid next to or instead of {@code ratios}
 *     (paper Section 3.5): per fold, epsilon is turned exactly into the number FUSION removes,
 *     k*(epsilon), and every method removes that many
 * @param seeds seeds of pruning and target training
 * @param optimalSearch extra FUSION ratios for the optimal-pruning-point search, or null
 * @param ood leave-one-cluster-out evaluation instead of the fixed test part, or null
 */
public record LoopConfig(
    @JsonProperty("data") TrainConfig.Data data,
    @JsonProperty("surrogate") TrainConfig surrogate,
    @JsonProperty("target") TrainConfig target,
    @JsonProperty("targets") List<TrainConfig> targets,
    @JsonProperty("scores") Scores scores,
    @JsonProperty("methods") List<String> methods,
    @JsonProperty("committee_size") Integer committeeSize,
    @JsonProperty("msc") Msc msc,
    @JsonProperty("meagraph") Meagraph meagraph,
    @JsonProperty("ratios") List<Double> ratios,
    @JsonProperty("epsilons") List<Double> epsilons,
    @JsonProperty("seeds") List<Long> seeds,
    @JsonProperty("optimal_search") OptimalSearch optimalSearch,
    @JsonProperty("ood") Ood ood) {

  public LoopConfig {
    data = data == null ? TrainConfig.Data.defaults() : data;
    surrogate = surrogate == null ? new TrainConfig(null, null, null, null) : surrogate;
    target = target == null ? new TrainConfig(null, null, null, null) : target;
    targets = targets == null || targets.isEmpty() ? List.of(target) : List.copyOf(targets);
    if (targets.stream().map(t -> t.model().type()).distinct().count() < targets.size()) {
      throw new IllegalArgumentException("targets: each target must be a different model type");
    }
    scores = scores == null ? Scores.defaults() : scores;
    methods = methods == null ? List.of("fusion", "random", "uncertainty", "weighting_factor", "diversity") : List.copyOf(methods);
    ratios = ratios == null ? (epsilons == null ? List.of(0.2, 0.4, 0.6, 0.8) : List.of()) : List.copyOf(ratios);
    epsilons = epsilons == null ? List.of() : List.copyOf(epsilons);
    seeds = seeds == null ? List.of(0L, 1L, 2L, 3L, 4L) : List.copyOf(seeds);
    committeeSize = committeeSize == null ? 5 : committeeSize;
    msc = msc == null ? Msc.defaults() : msc;
    meagraph = meagraph == null ? Meagraph.defaults() : meagraph;
    if (committeeSize < 2) {
      throw new IllegalArgumentException("committee_size (" + committeeSize + ") must be >= 2");
    }
    for (String m : methods) {
      if (!METHODS.contains(m)) {
        throw new IllegalArgumentException("methods: '" + m + "' is not known; valid: " + String.join(", ", METHODS));
      }
    }
    for (double r : ratios) {
      if (!(r >= 0 && r < 1)) {
        throw new IllegalArgumentException("ratios: " + r + " is not in [0, 1)");
      }
    }
    for (double e : epsilons) {
      if (!(e > 0 && Double.isFinite(e))) {
        throw new IllegalArgumentException("epsilons: " + e + " is not a finite tolerance > 0");
      }
    }
    if (!surrogate.model().head().equals("evidential")) {
      throw new IllegalArgumentException("surrogate.model.head must be evidential");
    }
  }

  /**
   * The optimal-pruning-point search (paper Fig. 3): FUSION cells at step, 2 step, ... up to
   * max_ratio, next to the unpruned training.
   *
   * @param maxRatio largest searched ratio (default 0.1)
   * @param step ratio step (default 0.005, the paper's 0.5 %)
   */
  public record OptimalSearch(@JsonProperty("max_ratio") Double maxRatio, @JsonProperty("step") Double step) {
    public OptimalSearch {
      maxRatio = maxRatio == null ? 0.1 : maxRatio;
      step = step == null ? 0.005 : step;
      if (!(step > 0 && maxRatio >= step && maxRatio < 1)) {
        throw new IllegalArgumentException("optimal_search: need 0 < step <= max_ratio < 1, got step " + step + ", max_ratio " + maxRatio);
      }
    }

    /** step, 2 step, ..., up to max_ratio (rounded to 1e-9). */
    public List<Double> ratios() {
      List<Double> out = new java.util.ArrayList<>();
      for (int k = 1; k * step <= maxRatio + 1e-9; k++) {
        out.add(Math.round(k * step * 1e9) / 1e9);
      }
      return out;
    }
  }

  /**
   * Out-of-distribution evaluation by leave-one-cluster-out (Meredig et al. 2018): seeded k-means++
   * on the fingerprints of all structures; cluster c = 0 .. evaluated-1 is the test part of fold c,
   * the rest is split into training and validation (data.val_fraction of it).
   *
   * @param clusters k (paper: 40 for jdft2d, 5 for perovskites)
   * @param evaluated held-out clusters evaluated (paper: the first 5)
   * @param seed k-means seed (default 0)
   */
  public record Ood(@JsonProperty("clusters") Integer clusters, @JsonProperty("evaluated") Integer evaluated, @JsonProperty("seed") Long seed) {
    public Ood {
      clusters = clusters == null ? 40 : clusters;
      evaluated = evaluated == null ? 5 : evaluated;
      seed = seed == null ? 0L : seed;
      if (clusters < 2 || evaluated < 1 || evaluated > clusters) {
        throw new IllegalArgumentException("ood: need clusters >= 2 and 1 <= evaluated <= clusters, got " + clusters + " and " + evaluated);
      }
    }
  }

  /** Every pruning method a loop can run. */
  public static final List<String> METHODS =
      List.of("fusion", "random", "uncertainty", "weighting_factor", "diversity", "committee", "msc", "meagraph");

  /**
   * Minimum set cover over atomic environments (QUESTS descriptors and kernel).
   *
   * @param k neighbours per environment (32)
   * @param cutoff descriptor cutoff, Angstrom (5)
   * @param bandwidth Gaussian kernel bandwidth h, 1/Angstrom (0.015)
   */
  public record Msc(
      @JsonProperty("k") Integer k,
      @JsonProperty("cutoff") Double cutoff,
      @JsonProperty("bandwidth") Double bandwidth) {
    public Msc {
      k = k == null ? 32 : k;
      cutoff = cutoff == null ? 5.0 : cutoff;
      bandwidth = bandwidth == null ? 0.015 : bandwidth;
      new Quests(k, cutoff); // validates
      if (!(bandwidth > 0)) {
        throw new IllegalArgumentException("msc.bandwidth (" + bandwidth + ") must be > 0");
      }
    }

    static Msc defaults() {
      return new Msc(null, null, null);
    }
  }

  /**
   * MEAGraph settings; the environment vectors are species-agnostic SOAP spectra with the
   * {@code scores} SOAP settings.
   *
   * @param kernels attention kernels per layer (3)
   * @param hidden encoder widths ([64, 16]); the decoder mirrors them
   * @param band [low, high] of the min-max normalised similarity exp(-|x_i - x_j|) that makes an
   *     edge ([0.9, 1.0])
   * @param epochs full-batch training steps (100)
   * @param learningRate Adam learning rate (0.001)
   * @param maxEdges largest band graph accepted, directed edges (5,000,000)
   */
  public record Meagraph(
      @JsonProperty("kernels") Integer kernels,
      @JsonProperty("hidden") List<Integer> hidden,
      @JsonProperty("band") List<Double> band,
      @JsonProperty("epochs") Integer epochs,
      @JsonProperty("learning_rate") Double learningRate,
      @JsonProperty("max_edges") Long maxEdges) {
    public Meagraph {
      MeaGraph.Settings d = MeaGraph.Settings.defaults();
      kernels = kernels == null ? d.kernels() : kernels;
      hidden = hidden == null ? d.hidden() : List.copyOf(hidden);
      band = band == null ? List.of(d.bandLow(), d.bandHigh()) : List.copyOf(band);
      epochs = epochs == null ? d.epochs() : epochs;
      learningRate = learningRate == null ? d.learningRate() : learningRate;
      maxEdges = maxEdges == null ? d.maxEdges() : maxEdges;
      if (band.size() != 2) {
        throw new IllegalArgumentException("meagraph.band must be [low, high], got " + band);
      }
      new MeaGraph.Settings(kernels, hidden, band.get(0), band.get(1), epochs, learningRate, maxEdges); // validates
    }

    public MeaGraph.Settings settings() {
      return new MeaGraph.Settings(kernels, hidden, band.get(0), band.get(1), epochs, learningRate, maxEdges);
    }

    static Meagraph defaults() {
      return new Meagraph(null, null, null, null, null, null);
    }
  }

  /**
   * FUSION score settings.
   *
   * @param lambda epistemic weight in Eq. 3 (default 0, as the paper across models)
   * @param gamma weighting-factor scale in Eq. 5 (default 1)
   * @param weighting {@code cosine} (Eq. 5) or {@code euclidean} (the reference code)
   * @param rCut SOAP cutoff, Angstrom (5)
   * @param nMax SOAP radial functions (8)
   * @param lMax SOAP degree (6)
   * @param sigma SOAP Gaussian width, Angstrom (0.5)
   * @param symprec symmetry tolerance, Angstrom (0.01)
   * @param predictions where the surrogate's alpha, beta, nu come from: {@code in_sample} (one
   *     surrogate trained on the training part scores every candidate, as the paper) or {@code
   *     out_of_fold} ({@code folds} surrogates, each trained without one part of the candidates and
   *     scoring that part only)
   * @param folds parts of the candidates for {@code out_of_fold} (5)
   */
  public record Scores(
      @JsonProperty("lambda") Double lambda,
      @JsonProperty("gamma") Double gamma,
      @JsonProperty("weighting") String weighting,
      @JsonProperty("r_cut") Double rCut,
      @JsonProperty("n_max") Integer nMax,
      @JsonProperty("l_max") Integer lMax,
      @JsonProperty("sigma") Double sigma,
      @JsonProperty("symprec") Double symprec,
      @JsonProperty("predictions") String predictions,
      @JsonProperty("folds") Integer folds) {
    public Scores {
      lambda = lambda == null ? 0.0 : lambda;
      gamma = gamma == null ? 1.0 : gamma;
      weighting = weighting == null ? "cosine" : weighting;
      rCut = rCut == null ? 5.0 : rCut;
      nMax = nMax == null ? 8 : nMax;
      lMax = lMax == null ? 6 : lMax;
      sigma = sigma == null ? 0.5 : sigma;
      symprec = symprec == null ? 0.01 : symprec;
      predictions = predictions == null ? "in_sample" : predictions;
      folds = folds == null ? 5 : folds;
      if (!predictions.equals("in_sample") && !predictions.equals("out_of_fold")) {
        throw new IllegalArgumentException("scores.predictions '" + predictions + "' is not known; valid: in_sample, out_of_fold");
      }
      if (folds < 2) {
        throw new IllegalArgumentException("scores.folds must be at least 2, got " + folds);
      }
      if (!weighting.equals("cosine") && !weighting.equals("euclidean")) {
        throw new IllegalArgumentException("scores.weighting '" + weighting + "' is not known; valid: cosine, euclidean");
      }
    }

    static Scores defaults() {
      return new Scores(null, null, null, null, null, null, null, null, null, null);
    }
  }
}
