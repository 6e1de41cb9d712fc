package org.fusionml.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.models.Architectures;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.train.split.DataSettings;
import org.fusionml.train.split.Datasets;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;

/** Every file of {@code configs/} binds; the dielectric ones name its data and the paper's OOD. */
class ShippedConfigsTest {
    private static final Path CONFIGS = Path.of("../configs");

    /** A loop file has loop keys; anything else is a training run. */
    private static boolean isLoop(Path f) throws Exception {
        JsonNode tree = ConfigLoader.YAML.readTree(f.toFile());
        return Stream.of("surrogate", "target", "targets", "methods", "ood").anyMatch(tree::has);
    }

    @Test
    void everyShippedConfigurationBinds() throws Exception {
        List<String> loops = new ArrayList<>();
        List<String> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(CONFIGS)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (isLoop(f)) {
                    ConfigLoader.load(f, List.of(), LoopConfig.class);
                    loops.add(f.getFileName().toString());
                } else {
                    ConfigLoader.load(f, List.of(), TrainConfig.class);
                    runs.add(f.getFileName().toString());
                }
            }
        }
        assertTrue(
                loops.containsAll(List.of("dielectric-loop-id.yaml", "dielectric-loop-ood.yaml")),
                loops.toString());
        assertTrue(
                runs.containsAll(
                        List.of(
                                "dielectric-alignn-small.yaml",
                                "perovskites-alignn-small.yaml",
                                "perovskites-cgcnn.yaml",
                                "perovskites-schnet.yaml",
                                "jdft2d-alignn-small.yaml",
                                "jdft2d-matformer.yaml",
                                "jdft2d-icomformer.yaml",
                                "jdft2d-ecomformer.yaml",
                                "jdft2d-potnet.yaml",
                                "jdft2d-crystalframer.yaml",
                                "jdft2d-sodnet.yaml")),
                runs.toString());
    }

    @Test
    void dielectricLoopsHoldOutTheFirstFiveOfFortyClustersOutOfDistribution() {
        LoopConfig ood =
                ConfigLoader.load(
                        CONFIGS.resolve("dielectric-loop-ood.yaml"), List.of(), LoopConfig.class);
        assertEquals(40, ood.ood().clusters());
        assertEquals(5, ood.ood().evaluated());
        assertEquals("../shared/data/matbench_dielectric.json.gz", ood.data().path());
        LoopConfig id =
                ConfigLoader.load(
                        CONFIGS.resolve("dielectric-loop-id.yaml"), List.of(), LoopConfig.class);
        assertNull(id.ood());
        assertEquals(ood.data(), id.data());
        assertEquals(64, id.surrogate().train().batchSize());
        // the target is the dielectric learning check's model, loss and schedule, in both loops
        TrainConfig checked =
                ConfigLoader.load(
                        CONFIGS.resolve("dielectric-cgcnn.yaml"), List.of(), TrainConfig.class);
        for (LoopConfig loop : List.of(id, ood)) {
            TrainConfig target = loop.targets().get(0);
            assertEquals(checked.model(), target.model());
            assertEquals(checked.loss(), target.loss());
            assertEquals(checked.train(), target.train().withSeed(checked.train().seed()));
        }
    }

    /**
     * The cross-model loop retrains every registered architecture, each once, on the surrogate and
     * scores of the 10-seed jdft2d loop (so that its committed scores.csv serves both).
     */
    @Test
    void architecturesLoopTrainsEveryRegisteredArchitectureOnTheTenSeedLoopsScores() {
        LoopConfig all =
                ConfigLoader.load(
                        CONFIGS.resolve("jdft2d-loop-architectures.yaml"),
                        List.of(),
                        LoopConfig.class);
        LoopConfig tenSeeds =
                ConfigLoader.load(
                        CONFIGS.resolve("jdft2d-loop-id-10seeds.yaml"),
                        List.of(),
                        LoopConfig.class);
        assertEquals(
                new TreeSet<>(Architectures.TYPES.keySet()),
                new TreeSet<>(all.targets().stream().map(t -> t.model().name()).toList()));
        assertEquals(Architectures.TYPES.size(), all.targets().size());
        assertEquals(tenSeeds.data(), all.data());
        assertEquals(tenSeeds.surrogate(), all.surrogate());
        assertEquals(tenSeeds.scores(), all.scores());
    }

    /**
     * The SchNet jdft2d loop is the 10-seed loop with SchNet's learning-check model, loss and
     * schedule as target (so the 10-seed loop's scores.csv serves it too).
     */
    @Test
    void schnetLoopIsTheTenSeedLoopWithTheSchnetLearningCheckAsTarget() {
        LoopConfig schnet =
                ConfigLoader.load(
                        CONFIGS.resolve("jdft2d-loop-id-schnet.yaml"), List.of(), LoopConfig.class);
        LoopConfig tenSeeds =
                ConfigLoader.load(
                        CONFIGS.resolve("jdft2d-loop-id-10seeds.yaml"),
                        List.of(),
                        LoopConfig.class);
        assertEquals(tenSeeds.data(), schnet.data());
        assertEquals(tenSeeds.surrogate(), schnet.surrogate());
        assertEquals(tenSeeds.scores(), schnet.scores());
        assertEquals(tenSeeds.seeds(), schnet.seeds());
        assertEquals(tenSeeds.methods(), schnet.methods());
        assertEquals(tenSeeds.ratios(), schnet.ratios());
        TrainConfig checked =
                ConfigLoader.load(
                        CONFIGS.resolve("jdft2d-schnet.yaml"), List.of(), TrainConfig.class);
        TrainConfig target = schnet.targets().get(0);
        assertEquals(checked.model(), target.model());
        assertEquals(checked.loss(), target.loss());
        assertEquals(checked.train(), target.train().withSeed(checked.train().seed()));
    }

    /** {@code fusion train --config configs/dielectric-alignn-small.yaml} reads 4,764 crystals. */
    @Test
    void dielectricTrainingConfigurationLoadsItsData() {
        TrainConfig cfg =
                ConfigLoader.load(
                        CONFIGS.resolve("dielectric-alignn-small.yaml"),
                        List.of(),
                        TrainConfig.class);
        assertEquals(64, ((AlignnConfig) cfg.model()).hidden());
        assertEquals(64, cfg.train().batchSize());
        DataSettings d = cfg.data();
        assertEquals("../shared/data/matbench_dielectric.json.gz", d.path());
        // the path is relative to the repository root, where ./fusion runs; the tests run in
        // fusion-train/
        Path file = Path.of("..").resolve(d.path());
        assumeTrue(Files.exists(file), "needs " + file + " (../shared is absent): skipped");
        DataSettings fromHere =
                new DataSettings(
                        file.toString(),
                        d.split(),
                        d.valFraction(),
                        d.testFraction(),
                        d.splitSeed(),
                        d.testSeed());
        CrystalDataset data = Datasets.load(fromHere);
        assertEquals(4764, data.size());
        assertEquals("matbench_dielectric", data.provenance().task());
        assertEquals("n", data.provenance().targetName());
        assertEquals("dimensionless", data.provenance().unit());
        Split random = fromHere.split(data);
        assertEquals(715, random.test().length); // round(4764 * 0.15) = 714.6
        Split fold4 = fromHere.withSplit("matbench_fold_4").split(data);
        assertEquals(952, fold4.test().length, "the official fold 4 tests 952 of 4,764");
        assertEquals(4764 - 952, fold4.trainAndVal().length);
    }
}
