package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.Pruning;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.prune.PruningMethods;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.prune.PruningStrategy;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.split.DataSettings;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.Progress;
import org.fusionml.train.trainer.TrainConfig;

/**
 * FUSION's closed loop (paper Section 3.5): split (fixed test part, or leave-one-cluster-out folds)
 * -> evidential surrogate on the training part -> fingerprints of the candidates (training +
 * validation) -> scores -> for every method, ratio (or tolerance epsilon), seed and target
 * architecture: prune the candidates, retrain the target model on what is left, evaluate on the
 * fold's test part. Every cell writes {@code cells/METHOD_rRATIO_sSEED_ARCH[_fFOLD].json} ({@code
 * _eEPSILON_} in a grid over epsilon) atomically, with the ratio it pruned and the epsilon of that
 * ratio under the fold's influences; a re-run skips the cells that exist, so an interrupted loop
 * resumes cell by cell. Surrogates and committees are trained only for folds with cells left to
 * compute.
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
        return run(out, threads, -1);
    }

    /**
     * Runs (or resumes) the loop in {@code out}, or only its cell number {@code only} (0-based, in
     * the order of {@link #cells}; a SLURM array task) when {@code only >= 0}. Returns the number
     * of cells computed now.
     */
    public int run(Path out, int threads, int only) throws IOException {
        return run(out, threads, only, false);
    }

    /**
     * As {@link #run(Path, int, int)}; with {@code startOver}, what an earlier loop wrote into
     * {@code out} is deleted first, else a folder written with other settings is refused ({@link
     * LoopDirectory}).
     */
    public int run(Path out, int threads, int only, boolean startOver) throws IOException {
        LoopDirectory dir = LoopDirectory.claim(out, config, startOver);
        CrystalDataset data = Datasets.load(config.data());
        List<Fold> folds = folds(data, out, threads);
        List<Cell> cells = cells(folds);
        if (only >= cells.size()) {
            throw new IllegalArgumentException(
                    "cell "
                            + only
                            + " does not exist: the loop has "
                            + cells.size()
                            + " cells (0.."
                            + (cells.size() - 1)
                            + ")");
        }
        List<Integer> todo = new ArrayList<>(); // cells of this call not finished by an earlier one
        for (int index = 0; index < cells.size(); index++) {
            if ((only < 0 || index == only) && !Files.exists(dir.cellFile(cells.get(index)))) {
                todo.add(index);
            }
        }
        Progress bar = new Progress("cells", todo.size(), log, false);
        long t0 = System.nanoTime();
        int computed = 0;
        Map<Integer, PruningInput> inputs = new HashMap<>();
        Map<String, PruningStrategy> strategies = new HashMap<>();
        for (int index : todo) {
            Cell c = cells.get(index);
            CellResult result =
                    runCell(
                            c,
                            data,
                            folds.get(Math.max(0, c.fold())),
                            inputs,
                            strategies,
                            dir,
                            threads);
            result.write(dir.cellFile(c));
            computed++;
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            bar.println(
                    String.format(
                            Locale.ROOT,
                            "cell %d/%d %s: test MAE %.4f (%.0fs, ETA %.0fs)",
                            index + 1,
                            cells.size(),
                            c.name(),
                            result.testMae(),
                            elapsed,
                            elapsed / computed * (todo.size() - computed)));
            bar.update(computed);
        }
        return computed;
    }

    /** Prunes the cell's fold, retrains its target on what is left and evaluates it. */
    private CellResult runCell(
            Cell c,
            CrystalDataset data,
            Fold fold,
            Map<Integer, PruningInput> inputs,
            Map<String, PruningStrategy> strategies,
            LoopDirectory dir,
            int threads)
            throws IOException {
        PruningInput input = inputs.get(c.fold());
        if (input == null) {
            input = prepare(data, fold, threads);
            inputs.put(c.fold(), input);
        }
        double ratio = c.ratio(input.influence());
        Pruning pruning =
                c.method().equals("none")
                        ? PruningStrategy.random().prune(input, 0.0, c.seed())
                        : strategies
                                .computeIfAbsent(c.method(), m -> strategy(m, threads))
                                .prune(input, ratio, c.seed());
        Split pruned = fold.split().without(pruning.removed());
        TrainConfig target =
                config.targets().stream()
                        .filter(t -> t.model().name().equals(c.architecture()))
                        .findFirst()
                        .orElseThrow();
        target = target.withData(config.data()).withSeed(c.seed());
        GraphTrainer.Result r =
                new GraphTrainer(target, new PrintWriter(Writer.nullWriter()))
                        .train(data, pruned, dir.run(c));
        double epsilon =
                c.byEpsilon()
                        ? c.epsilon()
                        : PruningOptimizer.epsilonForRatio(input.influence(), ratio);
        return new CellResult(
                c.method(),
                ratio,
                epsilon,
                c.seed(),
                c.architecture(),
                c.fold(),
                pruning.removed().length,
                pruned.train().length,
                pruned.val().length,
                pruned.test().length,
                r.test().mae(),
                r.test().rmse(),
                r.validation().mae(),
                r.epochs(),
                r.trainTargetMean(),
                r.meanPredictorTestMae(),
                pruning.sourceSha256(),
                dir.cellSettingsSha256(c.architecture()));
    }

    /**
     * The cells of the loop, in the order they run: per fold and seed the main grid, then the
     * optimal-point search.
     */
    public List<Cell> cells(Path out, int threads) throws IOException {
        return cells(folds(Datasets.load(config.data()), out, threads));
    }

    /**
     * Trains every fold's surrogate and committee and writes its fingerprints, so that cells can
     * then run in parallel (the first job of a SLURM plan). Idempotent.
     */
    public void prepare(Path out, int threads) throws IOException {
        inputs(out, threads);
    }

    /**
     * What the pruning strategies see, per fold (one for an in-distribution loop): the candidates
     * (training and validation indices), the surrogate's U, W and I (Eq. 3, 5, 6), the fingerprints
     * and structures, and the committee's disagreement when {@code committee} is among the methods.
     * Trains and writes whatever of it is missing in {@code out}, as {@link #prepare}.
     */
    public List<PruningInput> inputs(Path out, int threads) throws IOException {
        LoopDirectory.claim(out, config, false);
        CrystalDataset data = Datasets.load(config.data());
        List<PruningInput> inputs = new ArrayList<>();
        for (Fold fold : folds(data, out, threads)) {
            inputs.add(prepare(data, fold, threads));
        }
        return inputs;
    }

    private List<Cell> cells(List<Fold> folds) {
        List<Cell> cells = new ArrayList<>();
        List<Cell> search =
                new ArrayList<>(); // last, so that the main grid of every seed finishes first
        for (Fold fold : folds) {
            for (long seed : config.seeds()) {
                for (TrainConfig target : config.targets()) {
                    String arch = target.model().name();
                    cells.add(Cell.atRatio("none", 0.0, seed, arch, fold.index()));
                    for (String method : config.methods()) {
                        for (double ratio : config.ratios()) {
                            if (ratio > 0) {
                                cells.add(Cell.atRatio(method, ratio, seed, arch, fold.index()));
                            }
                        }
                        for (double epsilon : config.epsilons()) {
                            cells.add(
                                    new Cell(
                                            method, Double.NaN, epsilon, seed, arch, fold.index()));
                        }
                    }
                    if (config.optimalSearch() != null) {
                        for (double ratio : config.optimalSearch().ratios()) {
                            if (!config.ratios().contains(ratio)) {
                                search.add(Cell.atRatio("fusion", ratio, seed, arch, fold.index()));
                            }
                        }
                    }
                }
            }
        }
        cells.addAll(search);
        return cells;
    }

    /**
     * One evaluation split: the fixed 70/15/15 split (index -1, files directly in the loop folder)
     * or a held-out cluster (index c, files in {@code fold_c}).
     */
    record Fold(int index, Split split, Path dir) {}

    private List<Fold> folds(CrystalDataset data, Path out, int threads) throws IOException {
        DataSettings dc = config.data();
        LoopConfig.Ood ood = config.ood();
        if (ood == null) {
            return List.of(new Fold(-1, dc.split(data.size()), out));
        }
        List<Fingerprint> all = fingerprints(data, out, threads);
        int[] labels = KMeans.cluster(all, ood.clusters(), ood.seed(), 300);
        List<Fold> folds = new ArrayList<>();
        for (int c = 0; c < ood.evaluated(); c++) {
            folds.add(
                    new Fold(
                            c,
                            Splits.leaveOneClusterOut(labels, c, dc.valFraction(), dc.splitSeed()),
                            out.resolve("fold_" + c)));
        }
        return folds;
    }

    private List<Fingerprint> fingerprints(CrystalDataset structures, Path out, int threads)
            throws IOException {
        ScoreSettings sc = config.scores();
        return new FingerprintCache(out.resolve("fingerprints"))
                .getOrCompute(structures, sc.soap(), sc.symprec(), threads, n -> {});
    }

    /**
     * The surrogate (trained on the fold's training part, early-stopped on its validation part) and
     * the scores of the fold's candidates, its training and validation structures; the test part is
     * neither scored nor pruned.
     */
    private PruningInput prepare(CrystalDataset data, Fold fold, int threads) throws IOException {
        Split split = fold.split();
        int[] candidates = split.trainAndVal();
        Path surrogateDir = fold.dir().resolve("surrogate");
        if (config.scores().predictions().equals("in_sample")
                && !Files.exists(surrogateDir.resolve("result.json"))) {
            log.println(
                    "surrogate"
                            + (fold.index() >= 0 ? " (held-out cluster " + fold.index() + ")" : "")
                            + ": training "
                            + config.surrogate().model().name()
                            + " (evidential)");
            new GraphTrainer(config.surrogate().withData(config.data()), log)
                    .train(data, split, surrogateDir);
        }
        ScoreSettings sc = config.scores();
        CrystalDataset pool = data.select(candidates);
        List<Structure> structures = pool.entries().stream().map(e -> e.structure()).toList();
        List<Fingerprint> fps = fingerprints(pool, fold.dir(), threads);
        FusionScorer.Table table;
        if (sc.predictions().equals("out_of_fold")) {
            table =
                    FusionScorer.score(
                            outOfFold(data, split, candidates, structures, fold.dir()),
                            fps,
                            sc,
                            threads);
        } else {
            try (GraphModel surrogate = GraphModel.load(surrogateDir)) {
                Predictions p = surrogate.predict(surrogate.samples(structures), 64);
                table = FusionScorer.score(p, fps, sc, threads);
            }
        }
        PruningInput input =
                new PruningInput(
                        candidates,
                        table.uncertainty(),
                        table.weighting(),
                        table.influence(),
                        fps,
                        null,
                        structures,
                        data.provenance().sha256());
        if (config.methods().contains("committee")) {
            input =
                    input.withDisagreement(
                            committeeDisagreement(data, split, structures, fold.dir()));
        }
        return input;
    }

    /**
     * Seed of the out-of-fold parts: the split seed with "oof" mixed in. The split seed itself
     * would replay the permutation that made the split (same generator, same seed) and put nearly
     * the whole validation part into one part.
     */
    long outOfFoldSeed() {
        return config.data().splitSeed() ^ 0x6f6f66L;
    }

    /**
     * Out-of-fold scores: the candidates (positions 0..n-1 of {@code candidates}) are cut into
     * {@code scores.folds} seeded parts ({@link #outOfFoldSeed}); surrogate k trains on the
     * training part and early-stops on the validation part, both without part k, and predicts part
     * k only. The surrogates are saved under {@code surrogate_oof/part_k} and reused by later runs.
     */
    private Predictions outOfFold(
            CrystalDataset data,
            Split split,
            int[] candidates,
            List<Structure> structures,
            Path out)
            throws IOException {
        int n = candidates.length;
        double[][] columns = new double[7][n];
        List<Split> parts = Splits.kFold(n, config.scores().folds(), outOfFoldSeed());
        for (int k = 0; k < parts.size(); k++) {
            int[] held = parts.get(k).test(); // positions in candidates
            Split rest = split.without(Arrays.stream(held).map(i -> candidates[i]).toArray());
            Path dir = out.resolve("surrogate_oof").resolve("part_" + k);
            if (!Files.exists(dir.resolve("result.json"))) {
                log.println(
                        "surrogate (out of fold): training part "
                                + (k + 1)
                                + " of "
                                + parts.size());
                new GraphTrainer(
                                config.surrogate().withData(config.data()),
                                new PrintWriter(Writer.nullWriter()))
                        .train(data, rest, dir);
            }
            try (GraphModel m = GraphModel.load(dir)) {
                Predictions p =
                        m.predict(
                                m.samples(Arrays.stream(held).mapToObj(structures::get).toList()),
                                64);
                double[][] from = {
                    p.prediction(),
                    p.nu(),
                    p.alpha(),
                    p.beta(),
                    p.aleatoric(),
                    p.epistemic(),
                    p.standardBeta()
                };
                for (int j = 0; j < held.length; j++) {
                    for (int c = 0; c < from.length; c++) {
                        columns[c][held[j]] = from[c][j];
                    }
                }
            }
        }
        return new Predictions(
                columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6]);
    }

    /**
     * Query by committee: {@code committee_size} surrogates (the surrogate configuration with seeds
     * 0, 1, ...) trained on the training part; the standard deviation of their predictions for each
     * candidate, in the target unit.
     */
    private double[] committeeDisagreement(
            CrystalDataset data, Split split, List<Structure> pool, Path out) throws IOException {
        int members = config.committeeSize();
        double[][] predictions = new double[members][];
        for (int k = 0; k < members; k++) {
            Path dir = out.resolve("committee").resolve("member_" + k);
            if (!Files.exists(dir.resolve("result.json"))) {
                log.println("committee: training member " + (k + 1) + " of " + members);
                new GraphTrainer(
                                config.surrogate().withData(config.data()).withSeed(k),
                                new PrintWriter(Writer.nullWriter()))
                        .train(data, split, dir);
            }
            try (GraphModel m = GraphModel.load(dir)) {
                predictions[k] = m.predict(m.samples(pool), 64).prediction();
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

    /**
     * One (method, budget, seed, target architecture, held-out cluster or -1) of the grid. The
     * budget is a pruning ratio, or a tolerance epsilon of Eq. 7 that becomes a ratio only once the
     * fold's influences are known: k*(epsilon) / n, the ratio FUSION's exact optimum removes (see
     * {@link PruningOptimizer}), which every method then removes too.
     *
     * @param ratio pruning ratio in [0, 1), NaN for an epsilon cell
     * @param epsilon tolerance epsilon (> 0), NaN for a ratio cell
     */
    public record Cell(
            String method, double ratio, double epsilon, long seed, String architecture, int fold) {
        static Cell atRatio(String method, double ratio, long seed, String architecture, int fold) {
            return new Cell(method, ratio, Double.NaN, seed, architecture, fold);
        }

        public boolean byEpsilon() {
            return !Double.isNaN(epsilon);
        }

        /** The ratio pruned: the configured one, or k*(epsilon) / n under these influences. */
        double ratio(double[] influence) {
            return byEpsilon() ? PruningOptimizer.ratioForEpsilon(influence, epsilon) : ratio;
        }

        /**
         * {@code METHOD_rRATIO_...} ({@code %.3f}) or {@code METHOD_eEPSILON_...} (shortest
         * decimal).
         */
        public String name() {
            String budget =
                    byEpsilon()
                            ? "e"
                                    + java.math.BigDecimal.valueOf(epsilon)
                                            .stripTrailingZeros()
                                            .toPlainString()
                            : String.format(Locale.ROOT, "r%.3f", ratio);
            return String.format(Locale.ROOT, "%s_%s_s%d_%s", method, budget, seed, architecture)
                    + (fold >= 0 ? "_f" + fold : "");
        }
    }

    PruningStrategy strategy(String name, int threads) {
        ScoreSettings sc = config.scores();
        return PruningMethods.create(
                name,
                new PruningMethods.Context(
                        config.msc(), config.meagraph(), sc.soap(), sc.symprec(), threads));
    }
}
