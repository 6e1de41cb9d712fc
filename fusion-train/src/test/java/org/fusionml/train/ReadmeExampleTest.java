package org.fusionml.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
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
        // README:begin
        CrystalDataset data = all.select(java.util.stream.IntStream.range(0, 60).toArray());
        TrainConfig surrogate =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-alignn-small.yaml"),
                        List.of("train.epochs=2"),
                        TrainConfig.class);
        Split split = surrogate.data().split(data.size()); // 70/15/15, fixed test part
        new GraphTrainer(surrogate, log)
                .train(data, split, runs.resolve("surrogate")); // evidential ALIGNN
        int[] pool = split.trainAndVal(); // candidates: train + validation
        List<Fingerprint> fps =
                Arrays.stream(pool)
                        .mapToObj(
                                i ->
                                        FingerprintBuilder.fusionDefault()
                                                .build(data.get(i).structure()))
                        .toList();
        GraphModel model = GraphModel.load(runs.resolve("surrogate"));
        Predictions nig =
                model.predict(
                        model.samples(
                                Arrays.stream(pool)
                                        .mapToObj(i -> data.get(i).structure())
                                        .toList()),
                        64);
        FusionScorer.Table scores =
                FusionScorer.score(nig, fps, ScoreSettings.defaults(), 2); // U, W, I (Eq. 3, 5, 6)
        int[] removed =
                Arrays.stream(PruningOptimizer.removeForRatio(scores.influence(), 0.2))
                        .map(k -> pool[k])
                        .toArray(); // Eq. 7
        TrainConfig target = surrogate.withSeed(1); // or any architecture: model.type
        GraphTrainer.Result r =
                new GraphTrainer(target, log)
                        .train(data, split.without(removed), runs.resolve("target"));
        // README:end
        model.close();
        assertEquals(pool.length / 5, removed.length);
        assertTrue(Double.isFinite(r.test().mae()));
        String source =
                Files.readString(
                        Path.of("src/test/java/org/fusionml/train/ReadmeExampleTest.java"));
        String body =
                source.substring(
                        source.indexOf("// README:begin\n") + 16,
                        source.indexOf("    // README:end"));
        String example = body.lines().map(l -> l.substring(4)).reduce("", (a, b) -> a + b + "\n");
        assertTrue(
                Files.readString(Path.of("../README.md")).contains("```java\n" + example + "```"),
                "README.md's Java example differs from ReadmeExampleTest; copy it over:\n"
                        + example);
    }
}
