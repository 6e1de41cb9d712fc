package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusion fingerprint --store}, {@code --slice K/N} and {@code --merge}. */
class FingerprintStoreCommandTest {
    @TempDir Path dir;

    private static final String[] SMALL = {"--n-max", "3", "--l-max", "2", "--r-cut", "4"};

    private static String[] args(String... rest) {
        String[] out = new String[SMALL.length + rest.length + 1];
        out[0] = "fingerprint";
        System.arraycopy(SMALL, 0, out, 1, SMALL.length);
        System.arraycopy(rest, 0, out, 1 + SMALL.length, rest.length);
        return out;
    }

    @Test
    void slicesMergedEqualTheSingleStoreAndItsNeighboursTheCachedOnes() throws Exception {
        Path single = dir.resolve("single.fps");
        Path json = dir.resolve("nn.json");
        CliRunner r =
                CliRunner.run(
                        args(
                                "--store",
                                single.toString(),
                                "--precision",
                                "float64",
                                "--output",
                                json.toString()));
        assertEquals(0, r.code(), r.err());
        List<String> parts = new ArrayList<>();
        parts.add("fingerprint");
        parts.add("--merge");
        for (int k = 0; k < 3; k++) {
            Path part = dir.resolve("part" + k + ".fps");
            CliRunner s =
                    CliRunner.run(
                            args(
                                    "--store",
                                    part.toString(),
                                    "--precision",
                                    "float64",
                                    "--slice",
                                    k + "/3",
                                    "--threads",
                                    "1"));
            assertEquals(0, s.code(), s.err());
            parts.add(part.toString());
        }
        Path merged = dir.resolve("merged.fps");
        parts.add("--store");
        parts.add(merged.toString());
        CliRunner m = CliRunner.run(parts.toArray(String[]::new));
        assertEquals(0, m.code(), m.err());
        assertArrayEquals(Files.readAllBytes(single), Files.readAllBytes(merged));

        // the neighbours searched from the store equal those of the in-heap path
        Path cached = dir.resolve("cached.json");
        CliRunner c =
                CliRunner.run(
                        args(
                                "--cache",
                                dir.resolve("cache").toString(),
                                "--output",
                                cached.toString()));
        assertEquals(0, c.code(), c.err());
        JsonNode a = new ObjectMapper().readTree(json.toFile()).get("structures");
        JsonNode b = new ObjectMapper().readTree(cached.toFile()).get("structures");
        assertEquals(636, a.size());
        List<Fingerprint> fps;
        try (FingerprintStore s = FingerprintStore.open(single)) {
            fps = s.readAll();
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            index.put(a.get(i).get("name").asText(), i);
        }
        int ties = 0;
        for (int i = 0; i < a.size(); i++) {
            double d = a.get(i).get("cosine_distance").asDouble();
            assertEquals(b.get(i).get("cosine_distance").asDouble(), d, 1e-12, "structure " + i);
            String mine = a.get(i).get("nearest").asText();
            String theirs = b.get(i).get("nearest").asText();
            if (!mine.equals(theirs)) {
                // duplicates in jdft2d: equal distances up to round-off, either is the nearest
                double other = 1 - fps.get(i).dot(fps.get(index.get(theirs)));
                double chosen = 1 - fps.get(i).dot(fps.get(index.get(mine)));
                assertEquals(other, chosen, 1e-12, "structure " + i + ": a tie");
                ties++;
            }
        }
        assertTrue(ties < 20, ties + " ties");
    }

    @Test
    void badSlicesAndMissingOutputsAreUserErrors() {
        Path f = dir.resolve("x.fps");
        for (String[] bad :
                new String[][] {
                    {"fingerprint"},
                    {"fingerprint", "--store", f.toString(), "--slice", "3/3"},
                    {"fingerprint", "--store", f.toString(), "--slice", "a/b"},
                    {"fingerprint", "--slice", "0/2", "--output", dir.resolve("o").toString()},
                    {"fingerprint", "--store", f.toString(), "--precision", "float16"},
                    {
                        "fingerprint",
                        "--store",
                        f.toString(),
                        "--merge",
                        dir.resolve("no").toString()
                    }
                }) {
            CliRunner r = CliRunner.run(bad);
            assertEquals(2, r.code(), String.join(" ", bad) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(Files.notExists(f));
        }
    }
}
