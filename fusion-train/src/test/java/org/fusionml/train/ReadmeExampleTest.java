package org.fusionml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's Java example, run as written (on 60 structures), and kept equal to the README. */
class ReadmeExampleTest {
    @TempDir Path runs;

    @Test
    void theExampleRunsAndTheReadmeShowsItVerbatim() throws Exception {
        PrintWriter log = new PrintWriter(Writer.nullWriter());
        CrystalDataset all = DatasetLoader.embeddedDefault();
        // spotless:off (the README shows these lines as they are)
        // README:begin
        CrystalDataset data = all.select(IntStream.range(0, 60).toArray()); // a quick subset
        TrainConfig surrogate = ConfigLoader.load(Path.of("../configs/jdft2d-alignn-small.yaml"),
                List.of("train.epochs=2"), TrainConfig.class);
        Split split = surrogate.data().split(data); // 70/15/15, fixed test part
        new GraphTrainer(surrogate, log).train(data, split, runs.resolve("surrogate"));
        int[] pool = split.trainAndVal(); // the candidates: training and validation parts
        List<Structure> candidates = Arrays.stream(pool).mapToObj(i -> data.get(i).structure()).toList();
        List<Fingerprint> fps = candidates.stream().map(FingerprintBuilder.fusionDefault()::build).toList();
        GraphModel model = GraphModel.load(runs.resolve("surrogate"));
        Predictions nig = model.predict(model.samples(candidates), 64); // gamma, nu, alpha, beta
        FusionScorer.Table scores = FusionScorer.score(nig, fps, ScoreSettings.defaults(), 2); // Eq. 3-6
        int[] removed = Arrays.stream(PruningOptimizer.removeForRatio(scores.influence(), 0.2))
                .map(k -> pool[k]).toArray(); // Eq. 7 at 20 %
        GraphTrainer.Result r = new GraphTrainer(surrogate.withSeed(1), log) // or any model.type
                .train(data, split.without(removed), runs.resolve("target"));
        // README:end
        // spotless:on
        model.close();
        assertEquals(pool.length / 5, removed.length);
        assertTrue(Double.isFinite(r.test().mae()));
        String source =
                Files.readString(
                        Path.of("src/test/java/org/fusionml/train/ReadmeExampleTest.java"));
        String body =
                source.substring(
                        source.indexOf("// README:begin\n") + 16,
                        source.indexOf("        // README:end"));
        String example = body.lines().map(l -> l.substring(8)).reduce("", (a, b) -> a + b + "\n");
        assertTrue(
                Files.readString(Path.of("../README.md")).contains("```java\n" + example + "```"),
                "README.md's Java example differs from ReadmeExampleTest; copy it over:\n"
                        + example);
    }
}
