package org.fusionml.train.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusionml.train.prune.MeaGraphSettings;
import org.fusionml.train.prune.MscSettings;
import org.fusionml.train.prune.PruningMethods;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.score.ScoreVariant;
import org.fusionml.train.split.DataSettings;
import org.fusionml.train.trainer.TrainConfig;

/**
 * A FUSION closed loop: the shared data split, the evidential surrogate, the fingerprint and score
 * settings, the target model retrained on every pruned set, and the grid of methods, pruning ratios
 * and seeds.
 *
 * @param data dataset and split (shared by surrogate and targets; the test part is fixed; a loop
 *     takes one split: {@code random} or {@code matbench_fold_K})
 * @param surrogate surrogate model, loss and training (its data section is ignored)
 * @param target target model, loss and training (its data section is ignored)
 * @param targets several target architectures instead of {@code target} (distinct model types)
 * @param scores FUSION score settings
 * @param scoreVariants named scoring variants (lambda, gamma, weighting, aleatoric over {@code
 *     scores}) for methods {@code METHOD@NAME}: a score-based method (fusion, fusion_coverage,
 *     uncertainty, weighting_factor) pruning by the variant's scores of the same surrogate and
 *     fingerprints. Every variant's scores are written to {@code scores@NAME.csv} and compared with
 *     the loop's in the report's diagnostics, used by a method or not (a re-scoring costs no
 *     training)
 * @param methods pruning methods: fusion, random, uncertainty, weighting_factor, diversity,
 *     committee (query by committee), msc (minimum set cover over QUESTS environments), meagraph
 *     (graph-autoencoder clustering of SOAP environments), fusion_coverage (FUSION's order under
 *     the constraint that every removed structure keeps one of its nearest candidates; beyond the
 *     paper), and {@code METHOD@VARIANT} for a score-based method under a scoring variant
 * @param committeeSize surrogates in the committee (default 5, as the paper): the surrogate
 *     configuration with seeds 0, 1, ...; the member with the surrogate's own seed is the surrogate
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
 * @param maxUnprunedRatio the most the unpruned target's test MAE may be, as a fraction of the mean
 *     predictor's, for the loop to count as one whose target learns; {@code fusion report} warns
 *     above it (null: no bound). It decides no cell, so it may change between runs
 * @param surrogatePerSeed with true, every seed of the loop prunes with its own surrogate (the
 *     surrogate configuration with that seed, trained and scored in {@code seed_S/} of the fold's
 *     folder; the seed of {@code surrogate.train.seed} keeps the fold's own surrogate and scores),
 *     so that the spread over seeds covers surrogate retraining too (the configured surrogate is
 *     trained even when its seed is not a loop seed: its folder also holds what the seeds share,
 *     the fingerprints and a committee; every cell of a seed, random and unpruned too, waits for
 *     its seed's surrogate); false (the default): one surrogate's scores for every seed. Omitted
 *     from the resolved settings when false, so folders written before the key existed keep their
 *     settings hash
 */
public record LoopConfig(
        @JsonProperty("data") DataSettings data,
        @JsonProperty("surrogate") TrainConfig surrogate,
        @JsonProperty("target") TrainConfig target,
        @JsonProperty("targets") List<TrainConfig> targets,
        @JsonProperty("scores") ScoreSettings scores,
        @JsonProperty("score_variants") Map<String, ScoreVariant> scoreVariants,
        @JsonProperty("methods") List<String> methods,
        @JsonProperty("committee_size") Integer committeeSize,
        @JsonProperty("msc") MscSettings msc,
        @JsonProperty("meagraph") MeaGraphSettings meagraph,
        @JsonProperty("ratios") List<Double> ratios,
        @JsonProperty("epsilons") List<Double> epsilons,
        @JsonProperty("seeds") List<Long> seeds,
        @JsonProperty("optimal_search") OptimalSearch optimalSearch,
        @JsonProperty("ood") Ood ood,
        @JsonProperty("max_unpruned_ratio") Double maxUnprunedRatio,
        @JsonProperty("surrogate_per_seed") @JsonInclude(JsonInclude.Include.NON_DEFAULT)
                Boolean surrogatePerSeed) {

    public LoopConfig {
        data = data == null ? DataSettings.defaults() : data;
        surrogate = surrogate == null ? new TrainConfig(null, null, null, null) : surrogate;
        target = target == null ? new TrainConfig(null, null, null, null) : target;
        targets = targets == null || targets.isEmpty() ? List.of(target) : List.copyOf(targets);
        if (targets.stream().map(t -> t.model().name()).distinct().count() < targets.size()) {
            throw new IllegalArgumentException(
                    "targets: each target must be a different model type");
        }
        scores = scores == null ? ScoreSettings.defaults() : scores;
        scoreVariants = scoreVariants == null ? Map.of() : new TreeMap<>(scoreVariants);
        for (var v : scoreVariants.entrySet()) {
            if (!v.getKey().matches("[a-z0-9_]+")) {
                throw new IllegalArgumentException(
                        "score_variants: the name '"
                                + v.getKey()
                                + "' must be lower-case letters, digits and _");
            }
            try {
                v.getValue().over(scores);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "score_variants." + v.getKey() + ": " + e.getMessage(), e);
            }
        }
        scoreVariants = Collections.unmodifiableMap(scoreVariants);
        methods = methods == null ? PruningMethods.DEFAULTS : List.copyOf(methods);
        ratios =
                ratios == null
                        ? (epsilons == null ? List.of(0.2, 0.4, 0.6, 0.8) : List.of())
                        : List.copyOf(ratios);
        epsilons = epsilons == null ? List.of() : List.copyOf(epsilons);
        seeds = seeds == null ? List.of(0L, 1L, 2L, 3L, 4L) : List.copyOf(seeds);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: give at least one seed");
        }
        if (optimalSearch != null && !seeds.containsAll(optimalSearch.seeds())) {
            throw new IllegalArgumentException(
                    "optimal_search.seeds "
                            + optimalSearch.seeds()
                            + " must be among the loop's seeds "
                            + seeds);
        }
        committeeSize = committeeSize == null ? 5 : committeeSize;
        surrogatePerSeed = surrogatePerSeed != null && surrogatePerSeed;
        msc = msc == null ? MscSettings.defaults() : msc;
        meagraph = meagraph == null ? MeaGraphSettings.defaults() : meagraph;
        if (committeeSize < 2) {
            throw new IllegalArgumentException(
                    "committee_size (" + committeeSize + ") must be >= 2");
        }
        for (String m : methods) {
            String variant = PruningMethods.variant(m);
            if (variant != null) {
                if (!PruningMethods.SCORE_BASED.contains(PruningMethods.base(m))) {
                    throw new IllegalArgumentException(
                            "methods: '"
                                    + m
                                    + "': only a score-based method takes a scoring variant ("
                                    + String.join(", ", PruningMethods.SCORE_BASED)
                                    + ")");
                }
                if (!scoreVariants.containsKey(variant)) {
                    throw new IllegalArgumentException(
                            "methods: '"
                                    + m
                                    + "': no score_variants entry '"
                                    + variant
                                    + "'; defined: "
                                    + scoreVariants.keySet());
                }
            } else if (!PruningMethods.isKnown(m)) {
                throw new IllegalArgumentException(
                        "methods: '"
                                + m
                                + "' is not known; valid: "
                                + String.join(", ", PruningMethods.NAMES));
            }
        }
        for (double r : ratios) {
            if (!(r >= 0 && r < 1)) {
                throw new IllegalArgumentException("ratios: " + r + " is not in [0, 1)");
            }
        }
        for (double e : epsilons) {
            if (!(e > 0 && Double.isFinite(e))) {
                throw new IllegalArgumentException(
                        "epsilons: " + e + " is not a finite tolerance > 0");
            }
        }
        if (maxUnprunedRatio != null && !(maxUnprunedRatio > 0)) {
            throw new IllegalArgumentException(
                    "max_unpruned_ratio (" + maxUnprunedRatio + ") must be > 0");
        }
        if (data.allMatbenchFolds()) {
            throw new IllegalArgumentException(
                    "data.split matbench_folds is for fusion train; a loop evaluates one split"
                            + " (random or matbench_fold_K)");
        }
        if (ood != null && !data.split().equals(DataSettings.RANDOM)) {
            throw new IllegalArgumentException(
                    "data.split "
                            + data.split()
                            + " and ood exclude each other: ood holds out k-means clusters");
        }
        if (!surrogate.model().head().equals("evidential")) {
            throw new IllegalArgumentException("surrogate.model.head must be evidential");
        }
    }

    /**
     * The seed of the surrogate whose scores prune the cells of {@code seed}: that seed with {@code
     * surrogate_per_seed}, else the configured surrogate's.
     */
    public long surrogateSeed(long seed) {
        return surrogatePerSeed ? seed : surrogate.train().seed();
    }

    /** Every scoring variant's resolved settings, by name. */
    public Map<String, ScoreSettings> resolvedScoreVariants() {
        Map<String, ScoreSettings> out = new TreeMap<>();
        scoreVariants.forEach((name, v) -> out.put(name, v.over(scores)));
        return out;
    }

    /**
     * The optimal-pruning-point search (paper Fig. 3): FUSION cells at step, 2 step, ... up to
     * max_ratio, next to the unpruned training.
     *
     * @param maxRatio largest searched ratio (default 0.1)
     * @param step ratio step (default 0.005, the paper's 0.5 %)
     * @param seeds the seeds the search runs, a subset of the loop's (empty, the default: all of
     *     them); the search's cells are near-unpruned trainings, the loop's most expensive
     */
    public record OptimalSearch(
            @JsonProperty("max_ratio") Double maxRatio,
            @JsonProperty("step") Double step,
            @JsonProperty("seeds") List<Long> seeds) {
        public OptimalSearch {
            maxRatio = maxRatio == null ? 0.1 : maxRatio;
            step = step == null ? 0.005 : step;
            seeds = seeds == null ? List.of() : List.copyOf(seeds);
            if (!(step > 0 && maxRatio >= step && maxRatio < 1)) {
                throw new IllegalArgumentException(
                        "optimal_search: need 0 < step <= max_ratio < 1, got step "
                                + step
                                + ", max_ratio "
                                + maxRatio);
            }
        }

        /** Whether the search runs {@code seed}. */
        public boolean runs(long seed) {
            return seeds.isEmpty() || seeds.contains(seed);
        }

        /** step, 2 step, ..., up to max_ratio (rounded to 1e-9). */
        public List<Double> ratios() {
            List<Double> out = new ArrayList<>();
            for (int k = 1; k * step <= maxRatio + 1e-9; k++) {
                out.add(Math.round(k * step * 1e9) / 1e9);
            }
            return out;
        }
    }

    /**
     * Out-of-distribution evaluation by leave-one-cluster-out (Meredig et al. 2018): seeded
     * k-means++ on the fingerprints of all structures; cluster c = 0 .. evaluated-1 is the test
     * part of fold c, the rest is split into training and validation (data.val_fraction of it).
     *
     * @param clusters k (paper: 40 for jdft2d, 5 for perovskites)
     * @param evaluated held-out clusters evaluated (paper: the first 5)
     * @param seed k-means seed (default 0)
     */
    public record Ood(
            @JsonProperty("clusters") Integer clusters,
            @JsonProperty("evaluated") Integer evaluated,
            @JsonProperty("seed") Long seed) {
        public Ood {
            clusters = clusters == null ? 40 : clusters;
            evaluated = evaluated == null ? 5 : evaluated;
            seed = seed == null ? 0L : seed;
            if (clusters < 2 || evaluated < 1 || evaluated > clusters) {
                throw new IllegalArgumentException(
                        "ood: need clusters >= 2 and 1 <= evaluated <= clusters, got "
                                + clusters
                                + " and "
                                + evaluated);
            }
        }
    }
}
