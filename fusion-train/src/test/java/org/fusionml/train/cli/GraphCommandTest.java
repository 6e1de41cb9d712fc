package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
    @TempDir Path dir;

    private static Path shared(String rel) {
        String p = System.getProperty("fusion.shared", "../shared");
        Path f = Path.of(p).resolve(rel);
        assumeTrue(Files.exists(f), "needs " + f);
        return f;
    }

    @Test
    void writesKnnAndShellDistancesForTheSharedJdft2dFile() throws IOException {
        Path input = shared("data/matbench_jdft2d.json.gz");
        Path out = dir.resolve("graph.json");
        CliRunner r =
                CliRunner.run("graph", "--input", input.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode mine = new ObjectMapper().readTree(out.toFile()).get("structures");
        JsonNode ref;
        try (InputStream in =
                new GZIPInputStream(
                        Files.newInputStream(shared("refs/jdft2d_neighbors.json.gz")))) {
            ref = new ObjectMapper().readTree(in).get("structures");
        }
        assertEquals(ref.size(), mine.size());
        for (int s = 0; s < ref.size(); s += 37) {
            assertEquals(ref.get(s).get("name"), mine.get(s).get("name"));
            JsonNode ra = ref.get(s).get("atoms");
            JsonNode ma = mine.get(s).get("atoms");
            for (int i = 0; i < ra.size(); i++) {
                JsonNode rk = ra.get(i).get("knn_distances");
                JsonNode mk = ma.get(i).get("knn_distances");
                assertEquals(rk.size(), mk.size());
                for (int k = 0; k < rk.size(); k++) {
                    assertEquals(rk.get(k).asDouble(), mk.get(k).asDouble(), 1e-5);
                }
            }
        }
    }

    @Test
    void embeddedDefaultIsUsedWithoutInput() throws IOException {
        Path out = dir.resolve("g.json");
        CliRunner r = CliRunner.run("graph", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(out.toFile()).get("structures");
        assertEquals(636, s.size());
        assertEquals("mb-jdft2d-001", s.get(0).get("name").asText());
        assertEquals(12, s.get(0).get("atoms").get(0).get("knn_distances").size());
    }

    @Test
    void badInputExitsWithCodeTwoOneLineAndNoOutputFile() throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(
                bad,
                "[{\"lattice\":{\"matrix\":[[5,0,0],[0,5,0],[0,0,5]]},\"sites\":[{\"species\":[{\"element\":\"Qq\",\"occu\":1}],\"abc\":[0,0,0]}]}]");
        Path out = dir.resolve("out.json");
        CliRunner r = CliRunner.run("graph", "--input", bad.toString(), "--output", out.toString());
        assertEquals(2, r.code());
        assertEquals(bad + ": entry 0: unknown element 'Qq' on site 0", r.err().strip());
        assertFalse(Files.exists(out));
        try (var files = Files.list(dir)) {
            assertEquals(
                    1,
                    files.count(),
                    "no temporary file is left behind: " + Arrays.toString(dir.toFile().list()));
        }
    }

    @Test
    void missingFileAndBadOptionsAreUserErrors() {
        CliRunner r =
                CliRunner.run(
                        "graph",
                        "--input",
                        dir.resolve("nope.cif").toString(),
                        "--output",
                        dir.resolve("o.json").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().endsWith("nope.cif: file not found"), r.err());
        CliRunner neg =
                CliRunner.run(
                        "graph", "--cutoff", "-1", "--output", dir.resolve("o.json").toString());
        assertEquals(2, neg.code());
        assertEquals(
                "fusion graph: --cutoff (-1.0) must be a finite number > 0 Angstrom",
                neg.err().strip());
        CliRunner unknown = CliRunner.run("graph", "--cutof", "3");
        assertEquals(2, unknown.code());
    }
}
