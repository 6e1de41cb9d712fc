package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliOptionsTest {
    @TempDir Path dir;

    @Test
    void helpListsTheCommandsAndEachCommandShowsItsDefaults() {
        CliRunner top = CliRunner.run("--help");
        assertEquals(0, top.code());
        for (String c :
                new String[] {
                    "train",
                    "predict",
                    "score",
                    "prune",
                    "loop",
                    "report",
                    "fingerprint",
                    "--quiet",
                    "--verbose"
                }) {
            assertTrue(top.out().contains(c), c + " in\n" + top.out());
        }
        CliRunner loop = CliRunner.run("loop", "--help");
        assertEquals(0, loop.code());
        assertTrue(
                loop.out().contains("--plan")
                        && loop.out().contains("(default: 04:00:00)")
                        && loop.out().contains("--quiet"),
                loop.out());
    }

    @Test
    void oneGrammarAnExamplePerCommandTheBuildsVersionAndCompletion() throws Exception {
        for (String c :
                new String[] {
                    "graph",
                    "symmetry",
                    "soap",
                    "fingerprint",
                    "train",
                    "predict",
                    "score",
                    "prune",
                    "loop",
                    "report"
                }) {
            CliRunner help = CliRunner.run(c, "--help");
            assertEquals(0, help.code(), c);
            assertTrue(
                    help.out().contains("Example") && help.out().contains("  fusion " + c + " "),
                    c + " help has an example:\n" + help.out());
            assertFalse(help.out().contains("<runs>"), "one name for a run folder: " + c);
        }
        // the configuration is --config in train and loop alike
        assertTrue(CliRunner.run("loop", "--help").out().contains("--config=FILE.yaml"));
        assertTrue(CliRunner.run("train", "--help").out().contains("--config=FILE.yaml"));
        // the version is the build's (the pom's project version, filtered into the jar)
        CliRunner version = CliRunner.run("--version");
        assertEquals(0, version.code());
        // fusion-train's pom takes its version from the parent's: the first <version> in it
        String pom = Files.readString(Path.of("pom.xml"));
        String projectVersion =
                pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
        assertTrue(version.out().startsWith("fusion " + projectVersion + "\n"), version.out());
        CliRunner completion = CliRunner.run("completion");
        assertEquals(0, completion.code());
        assertTrue(
                completion.out().startsWith("#!/usr/bin/env bash")
                        && completion.out().contains("predict")
                        && completion.out().contains("--config"),
                completion.out().lines().limit(5).toList().toString());
        // enum values are lower case, as in YAML, and either case is accepted
        assertTrue(
                CliRunner.run("score", "--help")
                        .out()
                        .replaceAll("\\s+", " ")
                        .contains("(default: cosine)"));
        for (String value : new String[] {"euclidean", "EUCLIDEAN"}) {
            CliRunner score =
                    CliRunner.run(
                            "score",
                            "--run",
                            dir.resolve("no-run").toString(),
                            "--weighting",
                            value,
                            "--output",
                            dir.resolve("s.csv").toString());
            assertEquals(2, score.code());
            assertFalse(score.err().contains("--weighting"), "accepted: " + score.err());
        }
    }

    @Test
    void aLoopWithoutItsConfigurationOrAReportOfNoLoopIsOneLine() throws Exception {
        CliRunner loop = CliRunner.run("loop", "--output", dir.resolve("l").toString());
        assertEquals(2, loop.code());
        assertEquals(
                "fusion loop: give the loop configuration: --config FILE.yaml", loop.err().strip());
        Path missing = dir.resolve("missing");
        CliRunner none = CliRunner.run("report", "--run", missing.toString());
        assertEquals(2, none.code());
        assertEquals(missing + ": no such loop directory", none.err().strip());
        assertFalse(Files.exists(missing), "nothing created");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRunner nothing = CliRunner.run("report", "--run", empty.toString());
        assertEquals(2, nothing.code());
        assertTrue(nothing.err().strip().startsWith(empty + ": holds no finished cells"));
        try (var files = Files.list(empty)) {
            assertEquals(0, files.count(), "no NaN tables written");
        }
    }

    @Test
    void aReportSaysHowManyOfItsLoopsCellsAreFinished() throws Exception {
        // jdft2d-id: 8 methods x 4 ratios x 5 seeds + 5 unpruned + 20 cells of the 0.5 % search
        Path committed = Path.of("../docs/results/jdft2d-id");
        Path partial = Files.createDirectories(dir.resolve("partial").resolve("cells"));
        Files.copy(committed.resolve("loop.yaml"), partial.getParent().resolve("loop.yaml"));
        // a cell of another grid (jdft2d-id-10seeds has seeds 5-9)
        Files.copy(
                Path.of("../docs/results/jdft2d-id-10seeds/cells/fusion_r0.200_s9_alignn.json"),
                partial.resolve("fusion_r0.200_s9_alignn.json"));
        for (String cell : List.of("none_r0.000_s0_alignn", "fusion_r0.200_s0_alignn")) {
            Files.copy(
                    committed.resolve("cells").resolve(cell + ".json"),
                    partial.resolve(cell + ".json"));
        }
        CliRunner report = CliRunner.run("report", "--run", partial.getParent().toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(
                report.out()
                        .startsWith(
                                "cells: 2 of the 265 of loop.yaml finished, 1 more of other"
                                        + " grids\n"),
                report.out());
    }

    @Test
    void predictHelpNamesUnitsIntervalsAndModelRoots() {
        CliRunner help = CliRunner.run("predict", "--help");
        assertEquals(0, help.code(), help.err());
        for (String s :
                new String[] {"meV_per_atom", "95 % interval", "FUSION_MODELS", "--no-domain"}) {
            assertTrue(help.out().contains(s), s + " in\n" + help.out());
        }
    }

    @Test
    void userErrorsAreOneLineWithExitCode2AndVerboseAddsTheStackTrace() {
        String[] args = {"soap", "--species", "O,H", "--output", dir.resolve("s.json").toString()};
        CliRunner plain = CliRunner.run(args);
        assertEquals(2, plain.code());
        assertEquals(1, plain.err().strip().lines().count(), plain.err());
        CliRunner verbose = CliRunner.run(prepend("--verbose", args));
        assertEquals(2, verbose.code());
        assertTrue(verbose.err().contains("\tat org.fusionml."), verbose.err());
        assertTrue(
                verbose.err().strip().endsWith(plain.err().strip()),
                "the one line still ends the output");
        CliRunner badOption = CliRunner.run("loop", "--no-such-option");
        assertEquals(2, badOption.code());
        assertFalse(badOption.err().contains("\tat "), badOption.err());
    }

    private static String[] prepend(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }
}
