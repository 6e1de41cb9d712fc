package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintCommandsTest {
    @TempDir Path dir;

    private static JsonNode shared(String rel) throws IOException {
        Path f = Path.of(System.getProperty("fusion.shared", "../shared")).resolve(rel);
        assumeTrue(Files.exists(f), "needs " + f);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void symmetryWritesSpglibNumbersAndClasses() throws IOException {
        Path out = dir.resolve("sym.json");
        CliRunner r = CliRunner.run("symmetry", "--symprec", "0.1", "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode mine = new ObjectMapper().readTree(out.toFile()).get("structures");
        JsonNode ref = shared("refs/jdft2d_symmetry.json.gz").get("structures");
        assertEquals(636, mine.size());
        for (int s = 0; s < 636; s += 11) {
            JsonNode expected = ref.get(s).get("by_symprec").get("0.1").get("spglib");
            assertEquals(expected.get("number").asInt(), mine.get(s).get("number").asInt());
            assertEquals(
                    expected.get("international").asText(),
                    mine.get(s).get("international").asText());
            assertEquals(
                    expected.get("equivalence_classes"), mine.get(s).get("equivalence_classes"));
        }
    }

    @Test
    void soapWritesDscribeLayout() throws IOException {
        JsonNode ref = shared("refs/jdft2d_soap30.json.gz").get("structures").get(0);
        // the first reference structure, written as a one-entry pymatgen map
        Path in = dir.resolve("one.json");
        JsonNode dataset = shared("data/matbench_jdft2d.json.gz");
        int index = 0;
        for (int i = 0; i < dataset.get("index").size(); i++) {
            if (dataset.get("index").get(i).asText().equals(ref.get("name").asText())) {
                index = i;
            }
        }
        Files.writeString(
                in,
                "{\""
                        + ref.get("name").asText()
                        + "\": "
                        + dataset.get("data").get(index).get(0)
                        + "}");
        Path out = dir.resolve("soap.json");
        CliRunner r =
                CliRunner.run(
                        "soap",
                        "--input",
                        in.toString(),
                        "--average",
                        "inner,outer",
                        "--output",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = new ObjectMapper().readTree(out.toFile()).get("structures").get(0);
        assertEquals(ref.get("n_features").asInt(), s.get("n_features").asInt());
        assertEquals(ref.get("params").get("species"), s.get("species"));
        assertTrue(!s.get("soap").has("off"));
        JsonNode outer = ref.get("soap").get("outer");
        double scale = 0;
        for (JsonNode v : outer) {
            scale = Math.max(scale, Math.abs(v.asDouble()));
        }
        for (int k = 0; k < outer.size(); k++) {
            assertEquals(
                    outer.get(k).asDouble(),
                    s.get("soap").get("outer").get(k).asDouble(),
                    1e-6 * scale);
        }
    }

    @Test
    void soapRejectsSpeciesMissingFromTheList() throws IOException {
        Path out = dir.resolve("soap.json");
        CliRunner r = CliRunner.run("soap", "--species", "O,H", "--output", out.toString());
        assertEquals(2, r.code());
        assertTrue(
                r.err()
                        .contains(
                                "entry mb-jdft2d-001: site 0 is Hf, which is not among the SOAP"
                                        + " species [1, 8]"),
                r.err());
        assertTrue(!Files.exists(out));
        assertEquals(2, CliRunner.run("soap", "--n-max", "0", "--output", out.toString()).code());
    }

    @Test
    void fingerprintUsesItsCacheAndWritesNearestNeighbours() throws IOException {
        Path out = dir.resolve("fp.json");
        Path cache = dir.resolve("cache");
        String[] args = {
            "fingerprint",
            "--r-cut",
            "4",
            "--n-max",
            "4",
            "--l-max",
            "3",
            "--cache",
            cache.toString(),
            "--quiet",
            "--output",
            out.toString()
        };
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err(), "--quiet: no progress lines");
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count());
        }
        JsonNode s = new ObjectMapper().readTree(out.toFile()).get("structures");
        assertEquals(636, s.size());
        for (JsonNode e : s) {
            assertTrue(e.get("cosine_distance").asDouble() >= -1e-12);
            assertTrue(!e.get("nearest").asText().equals(e.get("name").asText()));
        }
        byte[] first = Files.readAllBytes(out);
        assertEquals(0, CliRunner.run(args).code());
        assertEquals(new String(first), Files.readString(out), "cached run gives the same output");
    }
}
