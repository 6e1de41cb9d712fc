package org.fusionml.train.loop;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.loop.ClosedLoop.Cell;
import org.fusionml.train.prune.Pruning;
import org.fusionml.train.prune.PruningInput;
import org.fusionml.train.prune.PruningMethods;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.prune.PruningStrategy;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.score.ScoresTable;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainConfig;

/**
 * Runs the loop's cells one at a time: prunes the cell's fold with the cell's method and budget,
 * retrains the cell's target architecture on what is left and evaluates it. Prepares each fold's
 * pruning input ({@link FoldInputs}) and each method's strategy the first time a cell needs it.
 */
final class CellRunner {
    private final LoopConfig config;
    private final CrystalDataset data;
    private final LoopDirectory dir;
    private final int threads;
    private final FoldInputs foldInputs;
    private final Map<Path, FoldInputs.Prepared> scorings = new HashMap<>();
    private final Map<String, PruningStrategy> strategies = new HashMap<>();

    CellRunner(
            LoopConfig config,
            CrystalDataset data,
            LoopDirectory dir,
            int threads,
            FoldInputs foldInputs) {
        this.config = config;
        this.data = data;
        this.dir = dir;
        this.threads = threads;
        this.foldInputs = foldInputs;
    }

    /** Prunes the cell's fold, retrains its target on what is left and evaluates it. */
    CellResult run(Cell c, Fold fold) throws IOException {
        FoldInputs.Prepared prepared = prepared(fold, c.seed());
        double ratio = c.ratio(prepared.input().influence());
        FoldInputs.Prepared scored = prepared.forMethod(c.method());
        PruningInput input = scored.input();
        Pruning pruning = prune(c, input, ratio);
        Split pruned = fold.split().without(pruning.removed());
        GraphTrainer.Result r =
                new GraphTrainer(targetConfig(c), new PrintWriter(Writer.nullWriter()))
                        .withoutDomain()
                        .train(data, pruned, dir.run(c));
        double epsilon =
                c.byEpsilon()
                        ? c.epsilon()
                        : PruningOptimizer.epsilonForRatio(input.influence(), ratio);
        return result(c, ratio, epsilon, pruning, pruned, r, neighbourLoss(scored, pruning));
    }

    /** Trains the committee members of {@code fold} that no process trains yet. */
    int trainFreeCommitteeMembers(Fold fold) throws IOException {
        return foldInputs.trainFreeCommitteeMembers(data, fold);
    }

    /**
     * The pruning input of the fold's cells of {@code seed}, prepared ({@link FoldInputs#prepare}:
     * what is missing is trained and written) the first time it is asked for; seeds that share a
     * scoring folder ({@link #scoringDir}) share it.
     */
    FoldInputs.Prepared prepared(Fold fold, long seed) throws IOException {
        Path key = scoringDir(fold, seed);
        FoldInputs.Prepared prepared = scorings.get(key);
        if (prepared == null) {
            prepared = foldInputs.prepare(data, fold, seed, threads);
            scorings.put(key, prepared);
        }
        return prepared;
    }

    /** The seed of the configured surrogate, whose scores live in each fold's own folder. */
    long configuredSurrogateSeed() {
        return config.surrogate().train().seed();
    }

    /** The folder of the surrogate and scores that prune the fold's cells of {@code seed}. */
    Path scoringDir(Fold fold, long seed) {
        return foldInputs.scoringDir(fold, seed);
    }

    /**
     * What the cell's method removes at {@code ratio}; nothing for the unpruned cell.
     *
     * @throws InvalidInputException naming the folder's {@code loop.yaml} and the method when the
     *     method's settings do not fit this data (MEAGraph's similarity band over more edges than
     *     {@code meagraph.max_edges}, say)
     */
    private Pruning prune(Cell c, PruningInput input, double ratio) {
        if (c.method().equals("none")) {
            return PruningStrategy.random().prune(input, 0.0, c.seed());
        }
        try {
            return strategies
                    .computeIfAbsent(PruningMethods.base(c.method()), m -> strategy(m))
                    .prune(input, ratio, c.seed());
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.at(dir.loopYaml().toString(), "method " + c.method(), e);
        }
    }

    private PruningStrategy strategy(String name) {
        ScoreSettings sc = config.scores();
        return PruningMethods.create(
                name,
                new PruningMethods.Context(
                        config.msc(), config.meagraph(), sc.soap(), sc.symprec(), threads));
    }

    /** The cell's target architecture's settings, with the loop's data and the cell's seed. */
    private TrainConfig targetConfig(Cell c) {
        TrainConfig target =
                config.targets().stream()
                        .filter(t -> t.model().name().equals(c.architecture()))
                        .findFirst()
                        .orElseThrow();
        return target.withData(config.data()).withSeed(c.seed());
    }

    /** The fraction of removed structures that lost their nearest candidate too; null: none. */
    private Double neighbourLoss(FoldInputs.Prepared scored, Pruning pruning) {
        if (pruning.removed().length == 0) {
            return null;
        }
        List<String> removed =
                Arrays.stream(pruning.removed()).mapToObj(i -> data.get(i).id()).toList();
        return ScoresTable.neighbourLoss(scored.scores(), removed);
    }

    private CellResult result(
            Cell c,
            double ratio,
            double epsilon,
            Pruning pruning,
            Split pruned,
            GraphTrainer.Result r,
            Double neighbourLoss) {
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
                dir.cellSettingsSha256(c.architecture()),
                neighbourLoss);
    }
}
