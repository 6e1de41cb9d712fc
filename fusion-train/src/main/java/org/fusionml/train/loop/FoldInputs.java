package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.prune.PruningMethods;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.score.ScoresTable;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.Predictions;

/**
 * Prepares what the pruning strategies see for one fold ({@link PruningInput}): its candidates
 * (training and validation structures; the test part is neither scored nor pruned), their
 * fingerprints, the surrogate's U, W and I (Eq. 3, 5, 6) and, when {@code committee} is among the
 * methods, the committee's disagreement. Trains and writes whatever of it is missing.
 */
final class FoldInputs {
    private final LoopConfig config;
    private final Surrogates surrogates;

    FoldInputs(LoopConfig config, PrintWriter log) {
        this.config = config;
        this.surrogates = new Surrogates(config, log);
    }

    /**
     * The surrogate (trained on the fold's training part, early-stopped on its validation part) and
     * the scores of the fold's candidates, its training and validation structures, that prune the
     * fold's cells of {@code seed} ({@link #scoringDir}); the test part is neither scored nor
     * pruned.
     */
    Prepared prepare(CrystalDataset data, Fold fold, long seed, int threads) throws IOException {
        return prepare(data, fold, seed, threads, committee());
    }

    /** Whether {@code committee} is among the loop's methods (its cells need the disagreement). */
    boolean committee() {
        return config.methods().contains("committee");
    }

    /**
     * {@link #prepare(CrystalDataset, Fold, long, int)}, with the committee's disagreement only
     * when {@code committee} (the parent of {@code fusion loop --workers} leaves the committee to
     * the workers, which train its members side by side).
     */
    Prepared prepare(CrystalDataset data, Fold fold, long seed, int threads, boolean committee)
            throws IOException {
        Split split = fold.split();
        int[] candidates = split.trainAndVal();
        CrystalDataset pool = data.select(candidates);
        List<Structure> structures = pool.entries().stream().map(e -> e.structure()).toList();
        List<String> ids = pool.entries().stream().map(e -> e.id()).toList();
        Path dir = scoringDir(fold, seed);
        long surrogateSeed = config.surrogateSeed(seed);
        Predictions kept = keptOutputs(scoresFile(dir), ids);
        Path surrogateDir = surrogateDir(dir);
        if (kept == null
                && config.scores().predictions().equals("in_sample")
                && !Files.exists(surrogateDir.resolve("result.json"))) {
            surrogates.trainInSample(data, fold, surrogateSeed, surrogateDir);
        }
        ScoreSettings sc = config.scores();
        List<Fingerprint> fps = CachedFingerprints.of(sc, pool, fold.dir(), threads);
        Predictions predictions =
                kept != null
                        ? kept
                        : predictions(data, fold, candidates, structures, dir, surrogateSeed);
        NearestNeighbors.Result nn = NearestNeighbors.search(fps, threads);
        Scoring scoring = new Scoring(data, candidates, structures, fps, ids, predictions, nn);
        Prepared scored = scoring.prepare(sc, scoresFile(dir));
        PruningInput input = scored.input();
        if (committee) {
            input =
                    input.withDisagreement(
                            surrogates.committeeDisagreement(
                                    data, split, structures, fold.dir(), surrogateDir(fold.dir())));
        }
        Map<String, Prepared> variants = new TreeMap<>();
        for (var v : config.resolvedScoreVariants().entrySet()) {
            variants.put(
                    v.getKey(),
                    scoring.prepare(v.getValue(), dir.resolve("scores@" + v.getKey() + ".csv")));
        }
        return new Prepared(input, scored.scores(), variants);
    }

    /**
     * Trains the committee members of {@code fold} that no process trains yet ({@link
     * Surrogates#trainFreeCommitteeMembers}); none without {@code committee} among the methods.
     * Returns the number trained.
     */
    int trainFreeCommitteeMembers(CrystalDataset data, Fold fold) throws IOException {
        if (!committee()) {
            return 0;
        }
        return surrogates.trainFreeCommitteeMembers(
                data, fold.split(), fold.dir(), surrogateDir(fold.dir()));
    }

    /**
     * What every scoring of a fold shares: the candidates, their fingerprints, the surrogate's
     * outputs and the nearest neighbours (searched once; the settings decide only U, W and I).
     */
    private record Scoring(
            CrystalDataset data,
            int[] candidates,
            List<Structure> structures,
            List<Fingerprint> fps,
            List<String> ids,
            Predictions predictions,
            NearestNeighbors.Result nn) {

        /** Scores under {@code settings}, writes the rows to {@code file}, the pruning input. */
        Prepared prepare(ScoreSettings settings, Path file) throws IOException {
            FusionScorer.Table t = FusionScorer.score(predictions, nn, settings);
            List<ScoresTable.Row> rows = ScoresTable.rows(ids, predictions, t);
            ScoresTable.write(file, rows);
            PruningInput input =
                    new PruningInput(
                            candidates,
                            t.uncertainty(),
                            t.weighting(),
                            t.influence(),
                            fps,
                            null,
                            structures,
                            data.provenance().sha256());
            return new Prepared(input, rows, Map.of());
        }
    }

    /**
     * A prepared fold: what the pruning strategies see, the candidates' rows of {@code scores.csv}
     * (in the order of {@code input}'s candidates), and the same under each scoring variant the
     * methods use ({@code scores@NAME.csv}).
     */
    record Prepared(
            PruningInput input, List<ScoresTable.Row> scores, Map<String, Prepared> variants) {

        /** What {@code method} prunes by: its scoring variant's inputs, or these. */
        Prepared forMethod(String method) {
            String variant = PruningMethods.variant(method);
            return variant == null ? this : variants.get(variant);
        }
    }

    /**
     * The folder whose surrogate ({@code surrogate/}) and scores ({@code scores.csv}, {@code
     * scores@NAME.csv}) prune the fold's cells of {@code seed}: the fold's own, or with {@code
     * surrogate_per_seed} and a seed other than the configured surrogate's, {@code seed_S/} in it.
     * The fingerprints and the committee stay in the fold's folder: no seed changes them.
     */
    Path scoringDir(Fold fold, long seed) {
        long s = config.surrogateSeed(seed);
        return s == config.surrogate().train().seed()
                ? fold.dir()
                : LoopDirectory.seedFolder(fold.dir(), s);
    }

    private static Path surrogateDir(Path scoringDir) {
        return scoringDir.resolve("surrogate");
    }

    /**
     * The candidates' scores with their surrogate outputs, {@code scores.csv} in the scoring folder
     * (for re-analysis without retraining; a resumed loop reads the surrogate outputs back from
     * it).
     */
    private static Path scoresFile(Path scoringDir) {
        return scoringDir.resolve("scores.csv");
    }

    /**
     * The surrogate outputs that Eq. 3 reads (gamma, nu, alpha and the standardised beta) of a fold
     * scored before, from its {@code scores.csv}: a resumed loop scores and prunes with the outputs
     * its first cells were pruned with, without retraining the surrogate (a retrained one agrees
     * only to round-off on the same machine, and can differ on another CPU). The physical beta and
     * variances, which scoring does not read, are NaN. Null when the file does not exist.
     *
     * @throws InvalidInputException when the file's ids are not the fold's candidates, in order
     */
    static Predictions keptOutputs(Path file, List<String> ids) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        List<ScoresTable.Row> rows = ScoresTable.read(file);
        List<String> kept = rows.stream().map(ScoresTable.Row::id).toList();
        if (!kept.equals(ids)) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "its "
                            + kept.size()
                            + " ids are not the fold's "
                            + ids.size()
                            + " candidates in order (delete it to score with the surrogate again)");
        }
        int n = rows.size();
        double[] gamma = new double[n];
        double[] nu = new double[n];
        double[] alpha = new double[n];
        double[] beta = new double[n];
        for (int k = 0; k < n; k++) {
            ScoresTable.Row r = rows.get(k);
            if (!(r.nu() > 0 && r.alpha() > 1 && r.beta() > 0)) {
                throw new InvalidInputException(
                        file.toString(),
                        r.id(),
                        "surrogate outputs nu "
                                + r.nu()
                                + ", alpha "
                                + r.alpha()
                                + ", beta "
                                + r.beta()
                                + " are not those of an evidential surrogate");
            }
            gamma[k] = r.gamma();
            nu[k] = r.nu();
            alpha[k] = r.alpha();
            beta[k] = r.beta();
        }
        double[] unknown = new double[n];
        Arrays.fill(unknown, Double.NaN);
        return new Predictions(gamma, nu, alpha, unknown, unknown, unknown, beta);
    }

    /**
     * The surrogates' predictions for the candidates: out of fold, or the in-sample surrogate's,
     * those of {@code surrogateSeed} in the scoring folder {@code dir}.
     */
    private Predictions predictions(
            CrystalDataset data,
            Fold fold,
            int[] candidates,
            List<Structure> structures,
            Path dir,
            long surrogateSeed)
            throws IOException {
        if (config.scores().predictions().equals("out_of_fold")) {
            return surrogates.outOfFold(
                    data, fold.split(), candidates, structures, dir, surrogateSeed);
        }
        try (GraphModel surrogate = GraphModel.load(surrogateDir(dir))) {
            return surrogate.predict(surrogate.samples(structures), 64);
        }
    }
}
