package org.fusionml.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.KernelEntropy;
import org.fusionml.data.descriptor.Quests;
import org.junit.jupiter.api.Test;

class MinimumSetCoverTest {
    private static final KernelEntropy KERNEL = new KernelEntropy(0.015, 2);

    /**
     * QUESTS's own MSC order on all of jdft2d (refs/quests_jdft2d.json.gz), 318 = 50 % and its
     * first 128 = 20 %.
     */
    @Test
    void selectionOrderEqualsQuests() throws Exception {
        Path ref =
                Path.of(
                        System.getProperty("fusion.shared", "../shared"),
                        "refs/quests_jdft2d.json.gz");
        assumeTrue(Files.exists(ref), "needs " + ref + " (../shared is absent): skipped");
        JsonNode msc;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(ref))) {
            msc = new ObjectMapper().readTree(in).get("msc").get("selections");
        }
        CrystalDataset data = DatasetLoader.embeddedDefault();
        Quests q = Quests.defaults();
        List<double[][]> envs = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            envs.add(q.compute(data.get(i).structure()));
        }
        int[] half = MinimumSetCover.select(envs, KERNEL, msc.get("0.5").get("size").asInt());
        int[] expected = new int[msc.get("0.5").get("selected_indices").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = msc.get("0.5").get("selected_indices").get(i).asInt();
        }
        assertArrayEquals(expected, half);
        int[] fifth = MinimumSetCover.select(envs, KERNEL, msc.get("0.2").get("size").asInt());
        assertEquals(128, fifth.length);
        for (int i = 0; i < fifth.length; i++) {
            assertEquals(
                    msc.get("0.2").get("selected_indices").get(i).asInt(), fifth[i], "pick " + i);
        }
    }

    /**
     * Four distinct structures, three copies each: one of every group comes before any second copy.
     */
    @Test
    void picksOneOfEachDuplicateGroupFirst() {
        CrystalDataset data = DatasetLoader.embeddedDefault();
        Quests q = Quests.defaults();
        int[] distinct = {3, 57, 200, 400};
        List<double[][]> envs = new ArrayList<>();
        List<Integer> group = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            for (int g = 0; g < distinct.length; g++) {
                envs.add(q.compute(data.get(distinct[g]).structure()));
                group.add(g);
            }
        }
        int[] order = MinimumSetCover.select(envs, KERNEL, envs.size());
        assertEquals(envs.size(), new HashSet<>(Arrays.stream(order).boxed().toList()).size());
        Set<Integer> firstFour = new HashSet<>();
        for (int i = 0; i < distinct.length; i++) {
            firstFour.add(group.get(order[i]));
        }
        assertEquals(Set.of(0, 1, 2, 3), firstFour);
        assertArrayEquals(
                order,
                MinimumSetCover.select(envs, new KernelEntropy(0.015, 1), envs.size()),
                "deterministic");
    }
}
