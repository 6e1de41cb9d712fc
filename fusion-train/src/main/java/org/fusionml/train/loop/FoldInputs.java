package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
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
     * the scores of the fold's candidates, its training and validation structures; the test part is
     * neither scored nor pruned.
     */
    PruningInput prepare(CrystalDataset data, Fold fold, int threads) throws IOException {
        Split split = fold.split();
        int[] candidates = split.trainAndVal();
        Path surrogateDir = inSampleSurrogateDir(fold);
        if (config.scores().predictions().equals("in_sample")
                && !Files.exists(surrogateDir.resolve("result.json"))) {
            surrogates.trainInSample(data, fold, surrogateDir);
        }
        ScoreSettings sc = config.scores();
        CrystalDataset pool = data.select(candidates);
        List<Structure> structures = pool.entries().stream().map(e -> e.structure()).toList();
        List<Fingerprint> fps = CachedFingerprints.of(sc, pool, fold.dir(), threads);
        FusionScorer.Table table = score(data, fold, candidates, structures, fps, threads);
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
                            surrogates.committeeDisagreement(data, split, structures, fold.dir()));
        }
        return input;
    }

    private static Path inSampleSurrogateDir(Fold fold) {
        return fold.dir().resolve("surrogate");
    }

    /**
     * The candidates' scores from the surrogates' predictions: out of fold, or the in-sample
     * surrogate's.
     */
    private FusionScorer.Table score(
            CrystalDataset data,
            Fold fold,
            int[] candidates,
            List<Structure> structures,
            List<Fingerprint> fps,
            int threads)
            throws IOException {
        ScoreSettings sc = config.scores();
        if (sc.predictions().equals("out_of_fold")) {
            return FusionScorer.score(
                    surrogates.outOfFold(data, fold.split(), candidates, structures, fold.dir()),
                    fps,
                    sc,
                    threads);
        }
        try (GraphModel surrogate = GraphModel.load(inSampleSurrogateDir(fold))) {
            Predictions p = surrogate.predict(surrogate.samples(structures), 64);
            return FusionScorer.score(p, fps, sc, threads);
        }
    }
}
