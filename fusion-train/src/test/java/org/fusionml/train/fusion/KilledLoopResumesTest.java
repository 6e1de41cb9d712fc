package org.fusionml.train.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.eval.LoopReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep killed with SIGKILL in the middle of its cells and then restarted gives byte-identical
 * tables to an uninterrupted sweep.
 */
class KilledLoopResumesTest {
  private static final List<String> TINY = List.of(
      "surrogate.train.epochs=1", "surrogate.model.hidden=8", "surrogate.model.embedding=8",
      "surrogate.model.alignn_layers=1", "surrogate.model.gcn_layers=1",
      "target.train.epochs=3", "target.model.hidden=8", "target.model.embedding=8",
      "scores.n_max=3", "scores.l_max=2", "scores.r_cut=4.0",
      "methods=[fusion, random, uncertainty]", "ratios=[0.2, 0.4, 0.6]", "seeds=[0]");

  @TempDir Path dir;

  @Test
  void sigkilledSweepRestartedGivesIdenticalTables() throws Exception {
    Path killed = dir.resolve("killed");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "--add-modules", "jdk.incubator.vector", "-Dai.djl.offline=true",
        "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
        "-cp", System.getProperty("java.class.path"), "org.fusionml.train.cli.FusionCli",
        "loop", "../configs/quickstart.yaml", "--output", killed.toString()));
    for (String s : TINY) {
      cmd.add("--set");
      cmd.add(s);
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
    Path cells = killed.resolve("cells");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (count(cells) < 3 && p.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(p.isAlive(), "the sweep ended before it could be killed:\n" + Files.readString(dir.resolve("killed.log")));
    p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
    p.waitFor();
    int before = count(cells);
    assertTrue(before >= 3 && before < 10, "killed in the middle: " + before + " of 10 cells");

    LoopConfig cfg = ConfigLoader.load(Path.of("../configs/quickstart.yaml"), TINY, LoopConfig.class);
    assertEquals(10 - before, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(killed, 1), "only the missing cells");
    Path clean = dir.resolve("clean");
    assertEquals(10, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(clean, 1));

    String a = LoopReport.write(LoopReport.read(killed), killed);
    String b = LoopReport.write(LoopReport.read(clean), clean);
    assertEquals(b, a);
    List<Path> tables;
    try (var s = Files.list(clean)) {
      tables = s.filter(f -> f.toString().endsWith(".md") || f.toString().endsWith(".csv")).toList();
    }
    assertTrue(tables.size() >= 4, "tables written: " + tables);
    for (Path f : tables) {
      assertEquals(Files.readString(f), Files.readString(killed.resolve(f.getFileName())), f.getFileName().toString());
    }
  }

  private static int count(Path cells) throws java.io.IOException {
    if (!Files.isDirectory(cells)) {
      return 0;
    }
    try (var s = Files.list(cells)) {
      return (int) s.filter(f -> f.toString().endsWith(".json")).count();
    }
  }
}
