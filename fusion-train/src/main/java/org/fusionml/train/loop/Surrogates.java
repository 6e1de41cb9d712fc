package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.split.DataSettings;
import org.fusionml.train.trainer.FolderLock;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.TrainConfig;

/**
 * The models a fold's scores come from, each trained once and reused by later runs: the in-sample
 * surrogate ({@code surrogate/}), the out-of-fold surrogates ({@code surrogate_oof/part_k}) and the
 * query-by-committee members ({@code committee/member_k}).
 */
final class Surrogates {
    private final LoopConfig config;
    private final PrintWriter log;

    Surrogates(LoopConfig config, PrintWriter log) {
        this.config = config;
        this.log = log;
    }

    /**
     * Trains the in-sample surrogate of {@code fold} with {@code seed} into {@code dir} (on the
     * fold's training part, early-stopped on its validation part), logging what it trains.
     */
    void trainInSample(CrystalDataset data, Fold fold, long seed, Path dir) throws IOException {
        log.println(
                "surrogate"
                        + (fold.index() >= 0 ? " (held-out cluster " + fold.index() + ")" : "")
                        + (seed != config.surrogate().train().seed() ? " (seed " + seed + ")" : "")
                        + ": training "
                        + config.surrogate().model().name()
                        + " (evidential)");
        new GraphTrainer(surrogate(seed), log).train(data, fold.split(), dir);
    }

    /**
     * Trains the surrogate configuration with {@code seed} on {@code split} into {@code dir},
     * without a training log or a training domain (an out-of-fold part or a committee member: only
     * its predictions are read).
     */
    private void trainQuietly(long seed, CrystalDataset data, Split split, Path dir)
            throws IOException {
        new GraphTrainer(surrogate(seed), new PrintWriter(Writer.nullWriter()))
                .withoutDomain()
                .train(data, split, dir);
    }

    /** The surrogate configuration with the loop's data and {@code seed}. */
    private TrainConfig surrogate(long seed) {
        return config.surrogate().withData(config.data()).withSeed(seed);
    }

    /**
     * Seed of the out-of-fold parts: the split seed with "oof" mixed in. The split seed itself
     * would replay the permutation that made the split (same generator, same seed) and put nearly
     * the whole validation part into one part.
     */
    static long outOfFoldSeed(DataSettings data) {
        return data.splitSeed() ^ 0x6f6f66L;
    }

    /**
     * Out-of-fold predictions: the candidates (positions 0..n-1 of {@code candidates}) are cut into
     * {@code scores.folds} seeded parts ({@link #outOfFoldSeed}); surrogate k trains on the
     * training part and early-stops on the validation part, both without part k, and predicts part
     * k only, each with {@code seed}. The surrogates are saved under {@code surrogate_oof/part_k}
     * of {@code out} and reused by later runs.
     */
    Predictions outOfFold(
            CrystalDataset data,
            Split split,
            int[] candidates,
            List<Structure> structures,
            Path out,
            long seed)
            throws IOException {
        int n = candidates.length;
        double[][] columns = new double[7][n];
        List<Split> parts = Splits.kFold(n, config.scores().folds(), outOfFoldSeed(config.data()));
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
                trainQuietly(seed, data, rest, dir);
            }
            try (GraphModel m = GraphModel.load(dir)) {
                Predictions p =
                        m.predict(
                                m.samples(Arrays.stream(held).mapToObj(structures::get).toList()),
                                64);
                copyRows(p, held, columns);
            }
        }
        return new Predictions(
                columns[0], columns[1], columns[2], columns[3], columns[4], columns[5], columns[6]);
    }

    /** Writes every column of {@code p} (row j) into {@code columns} at row {@code held[j]}. */
    private static void copyRows(Predictions p, int[] held, double[][] columns) {
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

    /**
     * Query by committee: {@code committee_size} surrogates (the surrogate configuration with seeds
     * 0, 1, ...) trained on the training part; the standard deviation of their predictions for each
     * candidate, in the target unit. The member whose seed is the surrogate's own is the in-sample
     * surrogate of {@code surrogateDir} when that one has been trained (the same configuration,
     * data and seed: the same training), so it is not trained twice. A member that another worker
     * of this host trains ({@link #trainFreeCommitteeMembers}) is waited for.
     */
    double[] committeeDisagreement(
            CrystalDataset data, Split split, List<Structure> pool, Path out, Path surrogateDir)
            throws IOException {
        int members = config.committeeSize();
        double[][] predictions = new double[members][];
        for (int k = 0; k < members; k++) {
            Path dir = committeeMember(data, split, out, surrogateDir, k, true);
            try (GraphModel m = GraphModel.load(dir)) {
                predictions[k] = m.predict(m.samples(pool), 64).prediction();
            }
        }
        return standardDeviations(predictions, pool.size());
    }

    /**
     * Trains each committee member of the fold folder {@code out} that is neither trained nor being
     * trained by another process ({@code committee/member_k.lock}), so that workers with nothing
     * else to do train the members side by side while one of them prepares the fold. Returns the
     * number trained.
     */
    int trainFreeCommitteeMembers(CrystalDataset data, Split split, Path out, Path surrogateDir)
            throws IOException {
        int trained = 0;
        for (int k = 0; k < config.committeeSize(); k++) {
            if (trainedMember(out, surrogateDir, k) == null
                    && committeeMember(data, split, out, surrogateDir, k, false) != null) {
                trained++;
            }
        }
        return trained;
    }

    /**
     * The folder of committee member {@code k}, trained if it was not. The member's lock decides
     * who trains it: when a live process of this host holds it, this waits for the member ({@code
     * wait}) or returns null; a holder on another host is refused.
     */
    private Path committeeMember(
            CrystalDataset data, Split split, Path out, Path surrogateDir, int k, boolean wait)
            throws IOException {
        Path dir = memberDir(out, k);
        boolean said = false;
        while (true) {
            Path trained = trainedMember(out, surrogateDir, k);
            if (trained != null) {
                return trained;
            }
            Path file = dir.resolveSibling(dir.getFileName() + ".lock");
            FolderLock.Attempt attempt =
                    FolderLock.attempt(file, "fusion loop (committee member " + k + ")", log);
            if (attempt.taken()) {
                try (FolderLock lock = attempt.lock()) {
                    if (!Files.exists(dir.resolve("result.json"))) {
                        log.println(
                                "committee: training member "
                                        + (k + 1)
                                        + " of "
                                        + config.committeeSize());
                        log.flush();
                        trainQuietly(k, data, split, dir);
                    }
                }
                return dir;
            }
            if (!attempt.holder().host().equals(FolderLock.hostName())) {
                throw FolderLock.held(file, attempt.holder());
            }
            if (!wait) {
                return null;
            }
            if (!said) {
                log.println(
                        "committee: waiting for member "
                                + (k + 1)
                                + ", trained by "
                                + attempt.holder().describe());
                log.flush();
                said = true;
            }
            ClosedLoop.pause(MEMBER_POLL_MS, "a committee member");
        }
    }

    /** How often a worker looks again for a committee member that another one trains. */
    static final long MEMBER_POLL_MS = 5_000;

    /**
     * The folder of member {@code k} when it is trained: its own, or for the member whose seed is
     * the surrogate's the trained in-sample surrogate (a member trained before this reuse existed
     * is kept); null when neither is.
     */
    private Path trainedMember(Path out, Path surrogateDir, int k) {
        Path dir = memberDir(out, k);
        if (Files.exists(dir.resolve("result.json"))) {
            return dir;
        }
        if (k == config.surrogate().train().seed()
                && Files.exists(surrogateDir.resolve("result.json"))) {
            return surrogateDir;
        }
        return null;
    }

    private static Path memberDir(Path out, int k) {
        return out.resolve("committee").resolve("member_" + k);
    }

    /** The population standard deviation over the members of each of {@code n} predictions. */
    private static double[] standardDeviations(double[][] predictions, int n) {
        int members = predictions.length;
        double[] std = new double[n];
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
}
