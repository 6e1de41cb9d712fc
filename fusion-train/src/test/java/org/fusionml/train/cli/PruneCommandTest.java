package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneCommandTest {
    @TempDir Path dir;

    @Test
    void removesTheSmallestInfluencesForARatioOrEpsilon() throws Exception {
        Path csv = dir.resolve("scores.csv");
        Files.writeString(csv, "id,influence\na,0.9\nb,0.1\nc,0.5\nd,0.3\ne,2.0\n");
        Path out = dir.resolve("removed.txt");
        assertEquals(
                0,
                CliRunner.run(
                                "prune",
                                "--scores",
                                csv.toString(),
                                "--ratio",
                                "0.4",
                                "--output",
                                out.toString())
                        .code());
        assertEquals(List.of("b", "d"), Files.readAllLines(out));
        // epsilon 0.2: budget 1.0 over 5 structures -> 0.1 + 0.3 + 0.5 = 0.9 fits, adding 0.9 does
        // not
        assertEquals(
                0,
                CliRunner.run(
                                "prune",
                                "--scores",
                                csv.toString(),
                                "--epsilon",
                                "0.2",
                                "--output",
                                out.toString())
                        .code());
        assertEquals(List.of("b", "c", "d"), Files.readAllLines(out));
        CliRunner sa =
                CliRunner.run(
                        "prune",
                        "--scores",
                        csv.toString(),
                        "--epsilon",
                        "0.2",
                        "--anneal",
                        "--output",
                        out.toString());
        assertEquals(0, sa.code());
        assertTrue(sa.err().contains("exact optimum 3"), sa.err());
    }

    @Test
    void readsQuotedIdsWithCommasAndQuotes() throws Exception {
        Path csv = dir.resolve("quoted.csv");
        Files.writeString(
                csv, "\"id\",\"influence\"\r\n\"Fe2O3, \"\"alpha\"\"\",0.1\r\nplain,0.9\r\n");
        Path out = dir.resolve("removed.txt");
        CliRunner r =
                CliRunner.run(
                        "prune",
                        "--scores",
                        csv.toString(),
                        "--ratio",
                        "0.5",
                        "--output",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("Fe2O3, \"alpha\""), Files.readAllLines(out));
    }

    @Test
    void badTablesAreUserErrors() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Path out = dir.resolve("removed.txt");
        Files.writeString(csv, "id,influence\na,0.9\nb,-1\n");
        CliRunner r =
                CliRunner.run(
                        "prune",
                        "--scores",
                        csv.toString(),
                        "--ratio",
                        "0.5",
                        "--output",
                        out.toString());
        assertEquals(2, r.code());
        assertEquals(
                csv + ": entry line 3: influence -1.0 must be non-negative and finite",
                r.err().strip());
        assertFalse(Files.exists(out));
        Files.writeString(csv, "name,score\na,1\n");
        assertEquals(
                2,
                CliRunner.run(
                                "prune",
                                "--scores",
                                csv.toString(),
                                "--ratio",
                                "0.5",
                                "--output",
                                out.toString())
                        .code());
        assertEquals(
                2,
                CliRunner.run("prune", "--scores", csv.toString(), "--output", out.toString())
                        .code(),
                "needs --epsilon or --ratio");
    }
}
