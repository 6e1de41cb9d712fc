package org.fusionml.train.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.symmetry.SpaceGroupFinder;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.score.ScoresTable;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.Progress;
import org.fusionml.train.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fusion score}: FUSION scores of a trained surrogate's training and validation structures.
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion score --run runs/quickstart/surrogate --output scores.csv"
        },
        description = {
            "FUSION scores U, W and I of a surrogate run's training and validation structures.",
            "Reads the run's config.yaml for the dataset and split (the test part is never scored)"
                    + " and",
            "writes id,gamma,nu,alpha,beta,uncertainty,weighting,influence,nearest,distance (input"
                    + " of fusion prune)."
        })
final class ScoreCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--run",
            required = true,
            paramLabel = "RUN_DIR",
            description = "A surrogate run of fusion train (evidential head).")
    Path run;

    @Option(
            names = "--lambda",
            defaultValue = "0",
            description =
                    "Weight of the epistemic term in Eq. 3 (default: ${DEFAULT-VALUE}, as the paper"
                            + " across models).")
    double lambda;

    @Option(
            names = "--gamma",
            defaultValue = "1",
            description = "Scale of the weighting factor, Eq. 5 (default: ${DEFAULT-VALUE}).")
    double gamma;

    @Option(
            names = "--weighting",
            defaultValue = "cosine",
            description = "Distance of Eq. 5: cosine or euclidean (default: ${DEFAULT-VALUE}).")
    FusionScorer.Weighting weighting;

    @Option(
            names = "--aleatoric",
            defaultValue = "expected_variance",
            description =
                    "Variance terms of Eq. 3: expected_variance (beta / (alpha - 1), the paper) or"
                            + " beta_over_alpha (the reference code) (default: ${DEFAULT-VALUE}).")
    String aleatoric;

    @Mixin SoapOptions soap;

    @Option(
            names = "--symprec",
            defaultValue = SpaceGroupFinder.DEFAULT_SYMPREC_TEXT,
            description =
                    "Symmetry tolerance of the fingerprints, Angstrom (default: ${DEFAULT-VALUE}).")
    double symprec;

    @Option(
            names = "--cache",
            defaultValue = ".cache/fingerprints",
            paramLabel = "DIR",
            description = "Fingerprint cache (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Threads (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "SCORES.csv",
            description = "Output file (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        OptionChecks.check(
                "score",
                () -> {
                    Ranges.atLeast("--threads", threads, 1);
                    Ranges.nonNegative("--lambda", lambda, "");
                    Ranges.nonNegative("--gamma", gamma, "");
                    SpaceGroupFinder.checkSymprec("--symprec", symprec);
                });
        SoapConfig sc = soap.config("score");
        TrainConfig cfg =
                ConfigLoader.load(run.resolve("config.yaml"), List.of(), TrainConfig.class);
        CrystalDataset data = Datasets.load(cfg.data());
        if (cfg.data().allMatbenchFolds()) {
            throw new UserException(
                    "fusion score: "
                            + run.resolve("config.yaml")
                            + " trains five folds (data.split matbench_folds); score one fold's"
                            + " run");
        }
        Split split = cfg.data().split(data);
        int[] candidates = split.trainAndVal();
        CrystalDataset pool = data.select(candidates);
        Progress progress = new Progress("fingerprints", pool.size(), spec.commandLine().getErr());
        List<Fingerprint> fps =
                new FingerprintCache(cache)
                        .getOrCompute(pool, sc, symprec, threads, progress::update);
        ScoreSettings settings;
        try {
            settings =
                    new ScoreSettings(
                            lambda,
                            gamma,
                            weighting.name().toLowerCase(Locale.ROOT),
                            sc.rCut(),
                            sc.nMax(),
                            sc.lMax(),
                            sc.sigma(),
                            symprec,
                            null,
                            null,
                            aleatoric);
        } catch (IllegalArgumentException e) {
            throw new UserException("fusion score: " + e.getMessage());
        }
        try (GraphModel m = GraphModel.load(run)) {
            Predictions p =
                    m.predict(
                            m.samples(pool.entries().stream().map(e -> e.structure()).toList()),
                            64);
            FusionScorer.Table t = FusionScorer.score(p, fps, settings, threads);
            ScoresTable.write(
                    output,
                    ScoresTable.rows(pool.entries().stream().map(e -> e.id()).toList(), p, t));
        } catch (IllegalArgumentException e) {
            throw new UserException("fusion score: " + e.getMessage());
        }
        return 0;
    }
}
