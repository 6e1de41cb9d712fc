package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusionml.train.report.LoopReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL in the middle of its cells and then restarted gives byte-identical
 * tables to an uninterrupted sweep. All three runs (killed, restarted, uninterrupted) are the same
 * {@code fusion loop} command in fresh JVMs, as a user or a SLURM requeue runs them: a run inside
 * this test JVM would start from another allocation history, and bitwise reproducibility across
 * JVMs with different histories is not what is asserted here.
 */
class KilledLoopResumesTest {
    private static final List<String> TINY =
            List.of(
                    "surrogate.train.epochs=1",
                    "surrogate.model.hidden=8",
                    "surrogate.model.embedding=8",
                    "surrogate.model.alignn_layers=1",
                    "surrogate.model.gcn_layers=1",
                    "target.train.epochs=3",
                    "target.model.hidden=8",
                    "target.model.embedding=8",
                    "scores.n_max=3",
                    "scores.l_max=2",
                    "scores.r_cut=4.0",
                    "methods=[fusion, random, uncertainty]",
                    "ratios=[0.2, 0.4, 0.6]",
                    "seeds=[0]");

    @TempDir Path dir;

    @Test
    void sigkilledSweepRestartedGivesIdenticalTables() throws Exception {
        Path killed = dir.resolve("killed");
        Process p = loop(killed, "killed.log");
        Path cells = killed.resolve("cells");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (count(cells) < 3 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(
                p.isAlive(),
                "the sweep ended before it could be killed:\n"
                        + Files.readString(dir.resolve("killed.log")));
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
        p.waitFor();
        int before = count(cells);
        assertTrue(before >= 3 && before < 10, "killed in the middle: " + before + " of 10 cells");
        Path lock = killed.resolve("loop.lock");
        assertTrue(Files.exists(lock), "a SIGKILL leaves the loop's lock behind");

        assertEquals(0, loop(killed, "resumed.log").waitFor(), () -> log("resumed.log"));
        String resumed = log("resumed.log");
        assertEquals(
                10 - before,
                resumed.lines().filter(l -> l.startsWith("cell ")).count(),
                "only the missing cells:\n" + resumed);
        assertFalse(
                resumed.contains("surrogate: training"),
                "the surrogate is not trained again:\n" + resumed);
        assertTrue(
                resumed.contains("taking over the stale lock " + lock + " of fusion loop (pid "),
                "the killed run's lock is stale:\n" + resumed);
        assertFalse(Files.exists(lock), "released at exit");
        Path clean = dir.resolve("clean");
        assertEquals(0, loop(clean, "clean.log").waitFor(), () -> log("clean.log"));
        assertEquals(10, count(clean.resolve("cells")));

        assertEquals(
                Files.readString(clean.resolve("surrogate").resolve("result.json")),
                Files.readString(killed.resolve("surrogate").resolve("result.json")),
                "the surrogate of the killed run");
        String a = LoopReport.write(LoopReport.read(killed), killed);
        String b = LoopReport.write(LoopReport.read(clean), clean);
        assertEquals(b, a);
        List<Path> tables;
        try (var s = Files.list(clean)) {
            tables =
                    s.filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".csv"))
                            .toList();
        }
        assertTrue(tables.size() >= 4, "tables written: " + tables);
        for (Path f : tables) {
            assertEquals(
                    Files.readString(f),
                    Files.readString(killed.resolve(f.getFileName())),
                    f.getFileName().toString());
        }
    }

    /** Starts {@code fusion loop} on the quickstart configuration, made tiny, in a fresh JVM. */
    private Process loop(Path out, String logName) throws IOException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx2g",
                                "--add-modules",
                                "jdk.incubator.vector",
                                "-Dai.djl.offline=true",
                                "-Dai.djl.pytorch.num_threads=1",
                                "-Dai.djl.pytorch.num_interop_threads=1",
                                "-cp",
                                System.getProperty("java.class.path"),
                                "org.fusionml.train.cli.FusionCli",
                                "loop",
                                "--config",
                                "../configs/quickstart.yaml",
                                "--output",
                                out.toString(),
                                "--threads",
                                "1"));
        for (String s : TINY) {
            cmd.add("--set");
            cmd.add(s);
        }
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile())
                .start();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int count(Path cells) throws IOException {
        if (!Files.isDirectory(cells)) {
            return 0;
        }
        try (var s = Files.list(cells)) {
            return (int) s.filter(f -> f.toString().endsWith(".json")).count();
        }
    }
}
