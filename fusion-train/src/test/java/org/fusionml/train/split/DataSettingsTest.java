package org.fusionml.train.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.Sources;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSettingsTest {
    private static final CrystalDataset JDFT2D = DatasetLoader.embeddedDefault();

    @TempDir Path dir;

    private static DataSettings data(String... sets) {
        return ConfigLoader.load(null, List.of(sets), TrainConfig.class).data();
    }

    private static Set<String> ids(CrystalDataset d, int[] indices) {
        return Arrays.stream(indices)
                .mapToObj(i -> d.get(i).id())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> officialIds(JsonNode folds, int fold, String part) {
        Set<String> out = new TreeSet<>();
        folds.get("splits")
                .get("matbench_jdft2d")
                .get("fold_" + fold)
                .get(part)
                .forEach(n -> out.add(n.asText()));
        return out;
    }

    private static JsonNode read(InputStream in) throws Exception {
        try (InputStream gz = Sources.maybeGunzip(in)) {
            return new ObjectMapper().readTree(gz);
        }
    }

    /** Fold 0 of jdft2d tests Matbench's 128 test ids; validation comes out of its 508 others. */
    @Test
    void matbenchFoldZeroTestsTheOfficialTestIds() throws Exception {
        Split s = data("data.split=matbench_fold_0").split(JDFT2D);
        Set<String> test = ids(JDFT2D, s.test());
        assertEquals(128, test.size());
        assertEquals(
                List.of("mb-jdft2d-012", "mb-jdft2d-014", "mb-jdft2d-027", "mb-jdft2d-031"),
                test.stream().limit(4).toList());
        JsonNode bundled =
                read(
                        new ByteArrayInputStream(
                                Sources.resource(Splits.class, Splits.FOLDS_RESOURCE)));
        assertEquals(officialIds(bundled, 0, "test"), test);
        assertEquals(officialIds(bundled, 0, "train"), ids(JDFT2D, s.trainAndVal()));
        assertEquals(76, s.val().length); // round(508 * 0.15) = 76.2
        assertEquals(432, s.train().length);

        Path shared =
                Path.of(System.getProperty("fusion.shared", "../shared"))
                        .resolve("data/matbench_v0.1_folds_3tasks.json.gz");
        assumeTrue(Files.exists(shared), "needs " + shared);
        assertEquals(officialIds(read(Files.newInputStream(shared)), 0, "test"), test);
    }

    @Test
    void theSplitSeedMovesValidationButNeverTheOfficialTestPart() {
        Split a = data("data.split=matbench_fold_3").split(JDFT2D);
        Split b = data("data.split=matbench_fold_3", "data.split_seed=5").split(JDFT2D);
        Split c = data("data.split=matbench_fold_3", "data.test_seed=7").split(JDFT2D);
        assertArrayEquals(a.test(), b.test());
        assertArrayEquals(a.trainAndVal(), b.trainAndVal());
        assertNotEquals(Arrays.toString(a.val()), Arrays.toString(b.val()));
        assertEquals(a, c, "test_seed does not touch an official fold");
        List<Split> all = data("data.split=matbench_folds").matbenchFolds(JDFT2D);
        assertEquals(5, all.size());
        assertEquals(a, all.get(3));
        int tested = all.stream().mapToInt(f -> f.test().length).sum();
        assertEquals(636, tested, "every entry is tested once over the five folds");
        assertThrows(
                IllegalStateException.class, () -> data("data.split=matbench_folds").split(JDFT2D));
    }

    @Test
    void theRandomSplitIsTheDefaultAndIsNotWritten() {
        DataSettings random = data();
        assertEquals("random", random.split());
        assertEquals(Splits.defaultSplit(636, 0, 42), random.split(JDFT2D));
        String written = ConfigLoader.toYaml(new TrainConfig(random, null, null, null));
        assertFalse(written.contains("split:"), written);
        assertEquals(
                ConfigLoader.toYaml(new TrainConfig(random, null, null, null)),
                ConfigLoader.toYaml(new TrainConfig(data("data.split=random"), null, null, null)));
        String fold =
                ConfigLoader.toYaml(
                        new TrainConfig(data("data.split=matbench_fold_2"), null, null, null));
        assertTrue(
                fold.contains("split: \"matbench_fold_2\"")
                        || fold.contains("split: matbench_fold_2"),
                fold);
    }

    @Test
    void unknownSplitsAndNonMatbenchDataAreUserErrors() throws Exception {
        for (String bad : List.of("matbench_fold_5", "matbench_fold_01", "kfold")) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> data("data.split=" + bad));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "split '"
                                            + bad
                                            + "' is not known; valid: random, matbench_fold_0 .."
                                            + " matbench_fold_4, matbench_folds"),
                    e.getMessage());
        }
        Path mine = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(
                mine.resolve("a.vasp"), "a\n1.0\n3 0 0\n0 3 0\n0 0 3\nNa\n1\nDirect\n0 0 0\n");
        Files.writeString(mine.resolve("id_prop.csv"), "a.vasp,1.0\n");
        CrystalDataset folder = DatasetLoader.load(mine, null);
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> data("data.split=matbench_fold_0").split(folder));
        assertEquals(
                mine
                        + ": data.split matbench_fold_0 needs the data of a Matbench task"
                        + " (matbench_jdft2d, matbench_perovskites, matbench_dielectric; recognised"
                        + " by the file name), not 'mine'",
                e.getMessage());
    }

    @Test
    void aLoopTakesOneSplitAndNoMatbenchFoldOutOfDistribution() {
        InvalidInputException all =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("data.split=matbench_folds"),
                                        LoopConfig.class));
        assertTrue(all.getMessage().contains("a loop evaluates one split"), all.getMessage());
        InvalidInputException ood =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("data.split=matbench_fold_0", "ood.clusters=40"),
                                        LoopConfig.class));
        assertTrue(
                ood.getMessage().contains("data.split matbench_fold_0 and ood exclude each other"),
                ood.getMessage());
        LoopConfig fold =
                ConfigLoader.load(null, List.of("data.split=matbench_fold_1"), LoopConfig.class);
        assertEquals(1, fold.data().matbenchFold().getAsInt());
    }

    @Test
    void theTargetUnitFollowsTheDataPathWithoutReadingIt() throws Exception {
        assertEquals("meV/atom", DataSettings.defaults().targetUnit());
        assertEquals(JDFT2D.provenance().unit(), DataSettings.defaults().targetUnit());
        assertEquals(
                "eV/cell",
                data("data.path=../shared/data/matbench_perovskites_subset.json.gz").targetUnit());
        assertEquals(
                "dimensionless", data("data.path=/x/matbench_dielectric.json.gz").targetUnit());
        assertEquals("meV/atom", data("data.path=matbench_jdft2d").targetUnit());
        assertEquals("unknown", data("data.path=my_data/").targetUnit());
        assertEquals("unknown", data("data.path=.").targetUnit());
        // every shipped configuration: its dataset's unit, as the README's data section gives it
        try (var files = Files.list(Path.of("../configs"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                String name = f.getFileName().toString();
                DataSettings d =
                        name.contains("loop") || name.startsWith("quickstart")
                                ? ConfigLoader.load(f, List.of(), LoopConfig.class).data()
                                : ConfigLoader.load(f, List.of(), TrainConfig.class).data();
                String expected =
                        name.startsWith("perovskites")
                                ? "eV/cell"
                                : name.startsWith("dielectric") ? "dimensionless" : "meV/atom";
                assertEquals(expected, d.targetUnit(), name);
            }
        }
    }
}
