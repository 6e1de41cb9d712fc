package org.fusionml.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.cli.FusionCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fusion bench} through fusion-train's {@link FusionCli}, which finds it on the class path.
 */
class BenchCommandTest {
    @TempDir Path dir;

    /** What one in-process run of the command line returned and printed. */
    private record Run(int code, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = FusionCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Run(code, out.toString(), err.toString());
        }
    }

    @Test
    void fusionFindsTheBenchCommandAndItsSubcommands() {
        Run top = Run.of("--help");
        assertEquals(0, top.code(), top.err());
        assertTrue(top.out().contains("\n  bench "), top.out());
        Run bench = Run.of("bench", "--help");
        assertEquals(0, bench.code(), bench.err());
        for (String c :
                new String[] {
                    "graph", "fingerprints", "entropy", "alignn", "models", "learn", "prune-scale"
                }) {
            assertTrue(bench.out().contains("\n  " + c + " "), c + " in\n" + bench.out());
        }
        Run graph = Run.of("bench", "graph", "--help");
        assertEquals(0, graph.code(), graph.err());
        assertTrue(
                graph.out().contains("--quiet"),
                "fusion's options reach the discovered commands:\n" + graph.out());
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() {
        Run sameStartAlone =
                Run.of(
                        "bench",
                        "learn",
                        "--config",
                        "../configs/jdft2d-alignn-small.yaml",
                        "--same-start",
                        "--no-reference",
                        "--output",
                        dir.resolve("learn").toString());
        assertEquals(2, sameStartAlone.code(), sameStartAlone.err());
        assertTrue(
                sameStartAlone
                        .err()
                        .strip()
                        .startsWith(
                                "fusion bench learn --same-start: a same start needs the"
                                        + " reference"),
                sameStartAlone.err());
        String[][] badOptions = {
            {"alignn --epochs 0", "fusion bench alignn: --epochs (0) must be >= 1"},
            {"alignn --max-batches 0", "fusion bench alignn: --max-batches (0) must be >= 1"},
            {"entropy --threads 0", "fusion bench entropy: --threads (0) must be >= 1"},
            {
                "fingerprints --seconds -1",
                "fusion bench fingerprints: --seconds (-1.0) must be a finite number >= 0 s"
            },
            {
                "graph --seconds -1",
                "fusion bench graph: --seconds (-1.0) must be a finite number >= 0 s"
            },
            {"models --batches 0", "fusion bench models: --batches (0) must be >= 1"},
            {
                "models --warmup-batches -1",
                "fusion bench models: --warmup-batches (-1) must be >= 0"
            },
            {"models --batch-size 0", "fusion bench models: --batch-size (0) must be >= 1"},
            {
                "models --batch-size 637 --config-dir ../configs",
                "fusion bench models: --batch-size (637) must be in 1..636"
            },
            {
                "models --types cgcnn,gcn",
                "fusion bench models: --types: unknown type 'gcn'; valid: alignn, cgcnn, schnet,"
                        + " megnet, deepergatgnn, matformer, icomformer, ecomformer, potnet,"
                        + " crystalframer, sodnet"
            },
        };
        for (String[] b : badOptions) {
            List<String> args = new ArrayList<>(List.of("bench"));
            args.addAll(List.of(b[0].split(" ")));
            Run r = Run.of(args.toArray(String[]::new));
            assertEquals(2, r.code(), b[0] + ": " + r.err());
            assertEquals(b[1], r.err().strip(), b[0]);
        }
        Run badConfig = Run.of("bench", "alignn", "--configs", "MEDIUM");
        assertEquals(2, badConfig.code(), badConfig.err());
        assertEquals(
                "fusion bench alignn: --configs takes small and full, not MEDIUM",
                badConfig.err().strip());
    }

    /**
     * {@code --shared} wins over the build's shared folder (system property {@code fusion.shared},
     * which holds the perovskite subset where the build has it): an empty folder leaves jdft2d
     * alone.
     */
    @Test
    void theSharedOptionNamesTheSharedFolder() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("shared"));
        Run graph = Run.of("bench", "graph", "--seconds", "0", "--shared", empty.toString());
        assertEquals(0, graph.code(), graph.err());
        List<String> lines = graph.out().strip().lines().toList();
        assertEquals(2, lines.size(), graph.out());
        assertTrue(
                lines.get(0).startsWith("bench load dataset=jdft2d_embedded entries=636 "),
                lines.get(0));
        assertTrue(
                lines.get(1).startsWith("bench graph dataset=jdft2d_embedded structures=636 "),
                lines.get(1));
    }

    /** A small prune-scale run on jdft2d: every stage's line, and the exact neighbours. */
    @Test
    void pruneScalePrintsEveryStageAndChecksItsNeighbours() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("shared"));
        Path store = dir.resolve("ps.fps");
        String[] args = {
            "bench",
            "prune-scale",
            "--n",
            "1300",
            "--verify",
            "25",
            "--shared",
            empty.toString(),
            "--store",
            store.toString(),
            "--chunk-mib",
            "1"
        };
        Run run = Run.of(args);
        assertEquals(0, run.code(), run.err());
        List<String> lines = run.out().strip().lines().toList();
        String[] stages = {"fingerprint", "W", "verify", "I", "eq7"};
        assertEquals(stages.length, lines.size(), run.out());
        for (int s = 0; s < stages.length; s++) {
            assertTrue(
                    lines.get(s).startsWith("bench prune_scale stage=" + stages[s] + " n=1300 "),
                    lines.get(s));
            assertTrue(lines.get(s).matches(".* wall_s=[0-9.]+ peak_rss_mib=[0-9]+ .*"));
        }
        // 1,300 rows over jdft2d's 636 structures: two or three copies of each
        assertTrue(lines.get(0).contains(" reused=false ") && lines.get(0).contains(" bases=636"));
        assertTrue(lines.get(2).contains(" sample=25 same_neighbour=25 "), lines.get(2));
        assertTrue(
                lines.get(4).contains(" removed_r0.2=260 ")
                        && lines.get(4).contains(" removed_r0.8=1040 "),
                lines.get(4));
        Run again = Run.of(args);
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().startsWith("bench prune_scale stage=fingerprint n=1300 "));
        assertTrue(again.out().lines().findFirst().orElseThrow().contains(" reused=true "));
        assertEquals(
                lines.get(1).replaceAll("wall_s=\\S+ peak_rss_mib=\\S+ rss_mib=\\S+ ", ""),
                again.out()
                        .lines()
                        .skip(1)
                        .findFirst()
                        .orElseThrow()
                        .replaceAll("wall_s=\\S+ peak_rss_mib=\\S+ rss_mib=\\S+ ", ""),
                "the same search on the reused store");

        Run bad = Run.of("bench", "prune-scale", "--n", "1");
        assertEquals(2, bad.code(), bad.err());
        assertEquals("fusion bench prune-scale: --n (1) must be >= 2", bad.err().strip());
    }

    @Test
    void aMissingFolderOrFileGivenAsAnOptionIsAOneLineUserError() {
        Path missing = dir.resolve("no-such-folder");
        for (String command :
                new String[] {
                    "graph", "fingerprints", "entropy", "alignn", "learn", "prune-scale"
                }) {
            Run run = Run.of("bench", command, "--shared", missing.toString());
            assertEquals(2, run.code(), command + ": " + run.err());
            assertEquals(
                    "fusion bench " + command + ": --shared " + missing + ": no such folder",
                    run.err().strip());
        }
        Run python = Run.of("bench", "alignn", "--python", missing.resolve("python3").toString());
        assertEquals(2, python.code(), python.err());
        assertEquals(
                "fusion bench alignn: --python " + missing.resolve("python3") + ": no such file",
                python.err().strip());
        Run onPath = Run.of("bench", "learn", "--python", "no-such-python-3.99");
        assertEquals(2, onPath.code(), onPath.err());
        assertEquals(
                "fusion bench learn: --python no-such-python-3.99: not on PATH",
                onPath.err().strip());
        Run modelsShared = Run.of("bench", "models", "--shared", missing.toString());
        assertEquals(2, modelsShared.code(), modelsShared.err());
        assertEquals(
                "fusion bench models: --shared " + missing + ": no such folder",
                modelsShared.err().strip());
        Run configDir =
                Run.of("bench", "models", "--config-dir", missing.toString(), "--no-reference");
        assertEquals(2, configDir.code(), configDir.err());
        assertEquals(
                "fusion bench models: --config-dir " + missing + ": no such folder",
                configDir.err().strip());
        Run modelsPython =
                Run.of(
                        "bench",
                        "models",
                        "--config-dir",
                        "../configs",
                        "--python",
                        missing.resolve("python3").toString());
        assertEquals(2, modelsPython.code(), modelsPython.err());
        assertEquals(
                "fusion bench models: --python " + missing.resolve("python3") + ": no such file",
                modelsPython.err().strip());
        Run modelsScript =
                Run.of(
                        "bench",
                        "models",
                        "--config-dir",
                        "../configs",
                        "--reference-script",
                        missing.resolve("ref.py").toString());
        assertEquals(2, modelsScript.code(), modelsScript.err());
        assertEquals(
                "fusion bench models: --reference-script "
                        + missing.resolve("ref.py")
                        + ": no such file",
                modelsScript.err().strip());
        Run script =
                Run.of(
                        "bench",
                        "alignn",
                        "--reference-script",
                        missing.resolve("ref.py").toString());
        assertEquals(2, script.code(), script.err());
        assertEquals(
                "fusion bench alignn: --reference-script "
                        + missing.resolve("ref.py")
                        + ": no such file",
                script.err().strip());
    }
}
