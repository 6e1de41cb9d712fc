package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.train.loop.TinyLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusion loop --workers N}: worker processes share the grid and the report follows. */
class LoopWorkersTest {
    @TempDir Path dir;

    private static final String THREADS = "ai.djl.pytorch.num_threads";

    @Test
    void aWorkerGetsTheCoresDividedByTheWorkersAndThisProgramsSettings() {
        String before = System.getProperty(THREADS);
        System.clearProperty(THREADS);
        try {
            List<String> cmd = LoopWorkers.command(List.of("loop", "--worker-of", "1"), 2, 8);
            assertTrue(cmd.get(0).endsWith("/bin/java"), cmd.toString());
            assertTrue(cmd.contains("-D" + THREADS + "=4"), cmd.toString());
            assertEquals(
                    List.of(FusionCli.class.getName(), "loop", "--worker-of", "1"),
                    cmd.subList(cmd.size() - 4, cmd.size()));
            assertTrue(
                    LoopWorkers.command(List.of(), 4, 2).contains("-D" + THREADS + "=1"),
                    "at least one thread");
            System.setProperty(THREADS, "3");
            cmd = LoopWorkers.command(List.of(), 2, 8);
            assertEquals(
                    List.of("-D" + THREADS + "=3"),
                    cmd.stream().filter(o -> o.startsWith("-D" + THREADS)).toList(),
                    "a thread count set for this process is passed on, not replaced");
        } finally {
            if (before == null) {
                System.clearProperty(THREADS);
            } else {
                System.setProperty(THREADS, before);
            }
        }
    }

    @Test
    void twoWorkersComputeEveryCellAndTheReportFollows() throws Exception {
        Path out = dir.resolve("loop");
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "loop",
                                "--config",
                                "../configs/quickstart.yaml",
                                "--output",
                                out.toString(),
                                "--threads",
                                "1",
                                "--workers",
                                "2"));
        for (String s :
                TinyLoop.settings("methods=[fusion, random]", "ratios=[0.0, 0.4]", "seeds=[0]")) {
            args.add("--set");
            args.add(s);
        }
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("3 cells computed now"), r.err());
        // the workers' lines reach this command's error stream: each cell once, by a worker
        List<String> cellLines = r.err().lines().filter(l -> l.startsWith("cell ")).toList();
        assertEquals(3, cellLines.size(), r.err());
        assertEquals(3, cellLines.stream().map(l -> l.substring(0, 8)).distinct().count(), r.err());
        assertTrue(cellLines.stream().allMatch(l -> l.contains("(worker pid ")), r.err());
        long byWorkers =
                r.err()
                        .lines()
                        .filter(l -> l.endsWith(" cells computed by this worker"))
                        .mapToLong(l -> Long.parseLong(l.substring(0, l.indexOf(' '))))
                        .sum();
        assertEquals(3, byWorkers, r.err());
        assertTrue(r.out().contains("| fusion |") && r.out().contains("| random |"), r.out());
        try (Stream<Path> s = Files.list(out.resolve("cells"))) {
            assertEquals(3, s.count());
        }
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(
                    List.of(),
                    s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList(),
                    "no lock left behind");
        }
        CliRunner again = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("0 cells computed now"), again.err());
    }

    @Test
    void workersRunTheWholeLoopOnly() {
        CliRunner r =
                CliRunner.run(
                        "loop",
                        "--config",
                        "../configs/quickstart.yaml",
                        "--output",
                        dir.resolve("x").toString(),
                        "--workers",
                        "2",
                        "--cell",
                        "0");
        assertEquals(2, r.code(), r.err());
        assertEquals(
                "fusion loop: --workers runs the whole loop; it does not go with --cell, --plan or"
                        + " --prepare",
                r.err().strip());
    }
}
