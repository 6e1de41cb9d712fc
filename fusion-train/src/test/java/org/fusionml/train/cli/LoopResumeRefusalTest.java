package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.loop.TinyLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fusion loop} into a folder that holds a loop with other settings stops with exit code 2
 * and one line naming the keys that differ; the grid may grow; {@code --restart} starts over. A
 * method whose settings do not fit the data stops it the same way.
 */
class LoopResumeRefusalTest {
    private static final List<String> TINY =
            TinyLoop.settings("methods=[random]", "ratios=[0.4]", "seeds=[0]");

    @TempDir Path dir;

    private CliRunner loop(String... extra) {
        List<String> args = new ArrayList<>(List.of("loop", "../configs/quickstart.yaml"));
        args.add("--output=" + dir.resolve("loop"));
        for (String set : TINY) {
            args.add("--set=" + set);
        }
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }

    @Test
    void aChangedConfigurationIsRefusedUntilRestart() throws Exception {
        CliRunner first = loop("--cell=0");
        assertEquals(0, first.code(), first.err());
        Path cell = dir.resolve("loop/cells/none_r0.000_s0_alignn.json");
        assertTrue(Files.exists(cell), first.err());
        byte[] before = Files.readAllBytes(cell);

        CliRunner changed = loop("--cell=0", "--set=target.train.learning_rate=0.01");
        assertEquals(2, changed.code(), changed.err());
        List<String> lines = changed.err().strip().lines().toList();
        assertEquals(1, lines.size(), changed.err());
        assertTrue(
                lines.get(0).startsWith(dir.resolve("loop/loop.yaml") + ": ")
                        && lines.get(0).contains("targets[alignn].train.learning_rate"),
                lines.get(0));
        assertTrue(lines.get(0).contains("--restart"), lines.get(0));
        assertTrue(Files.exists(cell), "nothing deleted without --restart");
        assertEquals(
                new String(before), new String(Files.readAllBytes(cell)), "the cell is untouched");

        CliRunner grown = loop("--cell=0", "--set=seeds=[0, 1]");
        assertEquals(0, grown.code(), "a larger grid resumes: " + grown.err());

        CliRunner restarted =
                loop("--cell=0", "--set=target.train.learning_rate=0.01", "--restart");
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(Files.exists(cell), restarted.err());
        assertTrue(
                Files.readString(dir.resolve("loop/loop.yaml")).contains("learning_rate: 0.01"),
                "the new settings are recorded");
    }

    @Test
    void prepareHonoursRestart() throws Exception {
        CliRunner first = loop("--prepare");
        assertEquals(0, first.code(), first.err());
        Path scores = dir.resolve("loop/scores.csv");
        assertTrue(Files.exists(scores), first.err());

        CliRunner changed = loop("--prepare", "--set=scores.gamma=0.5");
        assertEquals(2, changed.code(), changed.err());
        assertTrue(changed.err().contains("scores.gamma"), changed.err());

        CliRunner restarted = loop("--prepare", "--set=scores.gamma=0.5", "--restart");
        assertEquals(0, restarted.code(), restarted.err());
        assertTrue(
                Files.readString(dir.resolve("loop/loop.yaml")).contains("gamma: 0.5"),
                "the new settings are recorded");
        assertTrue(Files.exists(scores), "the surrogate is scored again");
    }

    /**
     * A method whose settings do not fit the data (MEAGraph's similarity band over more edges than
     * {@code meagraph.max_edges}) stops the loop with exit code 2 and one line naming the folder's
     * {@code loop.yaml}, the method and the setting, no stack trace; the cells before it stay.
     */
    @Test
    void aMethodWhoseSettingsDoNotFitIsOneLineAndExitCode2() throws Exception {
        List<String> args = new ArrayList<>(List.of("loop", "../configs/quickstart.yaml", "-q"));
        args.add("--output=" + dir.resolve("mea"));
        for (String set :
                TinyLoop.settings(
                        "methods=[meagraph]",
                        "ratios=[0.4]",
                        "seeds=[0]",
                        "meagraph.max_edges=2")) {
            args.add("--set=" + set);
        }
        CliRunner run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(2, run.code(), run.err());
        assertTrue(!run.err().contains("\tat "), "no stack trace: " + run.err());
        List<String> lines = run.err().strip().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(
                last.startsWith(dir.resolve("mea/loop.yaml") + ": entry method meagraph: ")
                        && last.contains("meagraph.max_edges"),
                last);
        assertTrue(Files.exists(dir.resolve("mea/cells/none_r0.000_s0_alignn.json")), run.err());
    }
}
