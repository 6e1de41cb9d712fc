package org.fusionml.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.fusionml.data.SharedData;
import org.fusionml.data.io.Sources;
import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void embeddedDefaultIsMatbenchJdft2d() {
        CrystalDataset d = DatasetLoader.embeddedDefault();
        assertEquals(636, d.size());
        assertEquals("mb-jdft2d-001", d.get(0).id());
        assertEquals(63.593833333333016, d.get(0).target(), 0.0);
        assertEquals(4575, d.entries().stream().mapToInt(e -> e.structure().size()).sum());
        DatasetProvenance p = d.provenance();
        assertEquals("matbench_jdft2d", p.task());
        assertEquals("exfoliation_en", p.targetName());
        assertEquals("meV/atom", p.unit());
        assertEquals(
                Sources.sha256(
                        Sources.resource(DatasetLoader.class, DatasetLoader.EMBEDDED_RESOURCE)),
                p.sha256());
    }

    @Test
    void sharedFileLoadsLikeTheEmbeddedCopy() throws Exception {
        Path f = SharedData.require("data/matbench_jdft2d.json.gz");
        CrystalDataset a = DatasetLoader.load(f, null);
        CrystalDataset b = DatasetLoader.embeddedDefault();
        assertEquals(b.provenance().sha256(), a.provenance().sha256());
        assertEquals("matbench_jdft2d", a.provenance().task());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(b.get(i).structure(), a.get(i).structure());
        }
    }

    @Test
    void perovskiteSubsetLoadsWithItsTask() {
        Path f = SharedData.require("data/matbench_perovskites_subset.json.gz");
        CrystalDataset d = DatasetLoader.load(f, null);
        assertEquals(9717, d.size());
        assertEquals("mb-perovskites-00004", d.get(0).id());
        assertEquals("e_form", d.provenance().targetName());
        assertEquals("eV/cell", d.provenance().unit());
    }

    @Test
    void trainValTestIsAPartitionOfTheRightSizes() {
        Split s = Splits.defaultSplit(636, 0, 42);
        assertEquals(95, s.test().length); // round(636 * 0.15) = 95.4 -> 95
        assertEquals(95, s.val().length);
        assertEquals(446, s.train().length);
        int[] all =
                IntStream.concat(
                                IntStream.concat(Arrays.stream(s.train()), Arrays.stream(s.val())),
                                Arrays.stream(s.test()))
                        .sorted()
                        .toArray();
        assertArrayEquals(IntStream.range(0, 636).toArray(), all);
    }

    @Test
    void testPartDependsOnlyOnTheTestSeed() {
        Split a = Splits.defaultSplit(636, 0, 42);
        Split b = Splits.defaultSplit(636, 7, 42);
        assertArrayEquals(a.test(), b.test());
        assertNotEquals(Arrays.toString(a.val()), Arrays.toString(b.val()));
        assertEquals(a, Splits.defaultSplit(636, 0, 42), "same seeds, same split");
        assertNotEquals(
                Arrays.toString(a.test()), Arrays.toString(Splits.defaultSplit(636, 0, 43).test()));
    }

    @Test
    void kFoldTestsEveryItemOnce() {
        List<Split> folds = Splits.kFold(103, 5, 9);
        Set<Integer> seen = new HashSet<>();
        for (Split f : folds) {
            assertEquals(103, f.train().length + f.test().length);
            for (int i : f.test()) {
                assertTrue(seen.add(i));
            }
            assertTrue(f.test().length == 20 || f.test().length == 21);
        }
        assertEquals(103, seen.size());
    }

    @Test
    void officialMatbenchFoldsMatchTheSharedFile() {
        CrystalDataset d = DatasetLoader.embeddedDefault();
        List<Split> folds = Splits.matbenchFolds(MatbenchTask.JDFT2D, d);
        assertEquals(5, folds.size());
        Set<Integer> tested = new HashSet<>();
        for (Split f : folds) {
            assertEquals(636, f.train().length + f.test().length);
            Arrays.stream(f.test()).forEach(tested::add);
        }
        assertEquals(636, tested.size());
        JsonNode ref =
                SharedData.json(SharedData.require("data/matbench_v0.1_folds_3tasks.json.gz"));
        JsonNode test0 = ref.get("splits").get("matbench_jdft2d").get("fold_0").get("test");
        int[] expected = new int[test0.size()];
        for (int k = 0; k < expected.length; k++) {
            expected[k] = d.indexOf(test0.get(k).asText());
        }
        Arrays.sort(expected);
        assertArrayEquals(expected, folds.get(0).test());
    }

    @Test
    void validationIsCarvedFromTheTrainingPartOnly() {
        Split fold =
                new Split(
                        new int[] {0, 2, 3, 5, 6, 8, 9, 11, 12, 14}, new int[0], new int[] {1, 4});
        Split s = Splits.withValidation(fold, 0.25, 3);
        assertArrayEquals(new int[] {1, 4}, s.test());
        assertEquals(3, s.val().length); // round(10 * 0.25) = 2.5 -> 3
        assertEquals(7, s.train().length);
        assertArrayEquals(fold.train(), s.trainAndVal());
        assertEquals(s, Splits.withValidation(fold, 0.25, 3), "same seed, same split");
        int[] expectedVal = Arrays.copyOf(Splits.shuffled(fold.train(), 3), 3);
        Arrays.sort(expectedVal);
        assertArrayEquals(expectedVal, s.val());
        assertEquals(0, Splits.withValidation(fold, 0.0, 3).val().length);
        assertThrows(IllegalArgumentException.class, () -> Splits.withValidation(fold, 1.0, 3));
    }

    @Test
    void leaveOneClusterOutTestsExactlyTheCluster() {
        int[] labels = {0, 1, 2, 1, 0, 1, 2, 2, 1, 0};
        Split s = Splits.leaveOneClusterOut(labels, 1, 0.2, 3);
        assertArrayEquals(new int[] {1, 3, 5, 8}, s.test());
        assertEquals(1, s.val().length); // round(6 * 0.2) = 1
        assertEquals(5, s.train().length);
        assertThrows(
                IllegalArgumentException.class, () -> Splits.leaveOneClusterOut(labels, 7, 0.2, 3));
    }

    @Test
    void taskRegistry() {
        assertEquals(MatbenchTask.PEROVSKITES, MatbenchTask.of("perovskites"));
        assertEquals(MatbenchTask.DIELECTRIC, MatbenchTask.of("matbench_dielectric"));
        assertEquals(
                "https://ml.materialsproject.org/projects/matbench_dielectric.json.gz",
                MatbenchTask.DIELECTRIC.url());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MatbenchTask.of("qm9"));
        assertTrue(e.getMessage().contains("matbench_jdft2d"));
    }

    @Test
    void tasksAreKnownByTheirFileNamesAndCarryTheUnitsOfTheData() {
        // units as shared/data/README.md gives them: meV/atom, eV per 5-atom cell, n dimensionless
        assertEquals("meV/atom", MatbenchTask.JDFT2D.unit());
        assertEquals("eV/cell", MatbenchTask.PEROVSKITES.unit());
        assertEquals("dimensionless", MatbenchTask.DIELECTRIC.unit());
        assertEquals(
                Optional.of(MatbenchTask.PEROVSKITES),
                MatbenchTask.ofFileName("matbench_perovskites_subset.json.gz"));
        assertEquals(
                Optional.of(MatbenchTask.DIELECTRIC),
                MatbenchTask.ofFileName("matbench_dielectric.json.gz"));
        assertEquals(Optional.empty(), MatbenchTask.ofFileName("my_jdft2d.json.gz"));
        assertEquals("unknown", DatasetProvenance.UNKNOWN_UNIT);
    }

    @Test
    void selectIsAViewThatLeavesTheSourceAlone() {
        CrystalDataset d = DatasetLoader.embeddedDefault();
        CrystalDataset sub = d.select(new int[] {5, 2});
        assertEquals(2, sub.size());
        assertEquals(d.get(5), sub.get(0));
        assertEquals(636, d.size());
        assertEquals(d.provenance(), sub.provenance());
    }
}
