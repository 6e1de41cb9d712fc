package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.report.LoopReport;
import org.fusionml.train.score.ScoresTable;
import org.fusionml.train.trainer.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code surrogate_per_seed}: every seed prunes with its own surrogate (trained with that seed in
 * {@code seed_S/}; the configured surrogate's seed keeps the loop folder's), so the cells of a seed
 * are pruned by that seed's scores; without the key every seed prunes with one surrogate's scores
 * and the resolved settings do not mention it.
 */
class SurrogatePerSeedTest {
    @TempDir Path dir;

    private static LoopConfig perSeed() {
        return TinyLoop.config(
                "methods=[fusion]", "ratios=[0.4]", "seeds=[0, 1]", "surrogate_per_seed=true");
    }

    @Test
    void theKeyIsLeftOutOfTheResolvedSettingsUnlessItIsOn() {
        LoopConfig once = TinyLoop.config("seeds=[0, 1]");
        assertFalse(ConfigLoader.toYaml(once).contains("surrogate_per_seed"));
        assertEquals(0, once.surrogateSeed(1), "one surrogate: the configured seed's");
        assertTrue(ConfigLoader.toYaml(perSeed()).contains("surrogate_per_seed: true"));
        assertEquals(1, perSeed().surrogateSeed(1));
    }

    @Test
    void eachSeedPrunesByItsOwnSurrogatesScores() throws Exception {
        Path out = dir.resolve("loop");
        StringWriter log = new StringWriter();
        assertEquals(4, new ClosedLoop(perSeed(), new PrintWriter(log, true)).run(out, 2));
        assertTrue(Files.exists(out.resolve("surrogate").resolve("model.json")));
        assertTrue(Files.exists(out.resolve("seed_1").resolve("surrogate").resolve("model.json")));
        assertFalse(Files.exists(out.resolve("seed_0")), "seed 0 is the configured surrogate's");
        assertTrue(log.toString().contains("surrogate (seed 1): training"), log.toString());

        List<ScoresTable.Row> own = ScoresTable.read(out.resolve("scores.csv"));
        List<ScoresTable.Row> seed1 = ScoresTable.read(out.resolve("seed_1").resolve("scores.csv"));
        assertEquals(
                own.stream().map(ScoresTable.Row::id).toList(),
                seed1.stream().map(ScoresTable.Row::id).toList(),
                "the same candidates");
        assertNotEquals(own.get(0).gamma(), seed1.get(0).gamma(), "another surrogate");

        // a cell records the epsilon of its ratio under the influences it was pruned by
        double e0 = epsilon(own);
        double e1 = epsilon(seed1);
        assertNotEquals(e0, e1);
        assertEquals(e0, cell(out, "fusion_r0.400_s0_alignn").epsilon(), 1e-12 * e0);
        assertEquals(e1, cell(out, "fusion_r0.400_s1_alignn").epsilon(), 1e-12 * e1);

        // the report compares what the seeds' surrogates remove
        LoopReport.write(List.of(), out, dir.resolve("report"), null, "eV");
        String diagnostics = Files.readString(dir.resolve("report").resolve("diagnostics.md"));
        assertTrue(diagnostics.contains("| all | seed 1 surrogate |"), diagnostics);
    }

    @Test
    void aFolderWrittenWithOneSurrogateIsRefusedWithTheKeyOn() throws Exception {
        Path out = dir.resolve("once");
        LoopConfig once = TinyLoop.config("methods=[fusion]", "ratios=[0.4]", "seeds=[0, 1]");
        LoopDirectory.claim(out, once, false);
        assertTrue(
                ConfigLoader.YAML.valueToTree(once).path("surrogate_per_seed").isMissingNode(),
                "an old folder's settings hash is unchanged");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> LoopDirectory.claim(out, perSeed(), false));
        assertTrue(e.getMessage().contains("surrogate_per_seed"), e.getMessage());
    }

    /**
     * A worker prepares a seed's folder only after it has seen the fold's own prepared (which
     * writes the fingerprints and committee the seeds share): while another worker holds the fold's
     * {@code prepare.lock}, no seed's surrogate is trained.
     */
    @Test
    void workersTrainTheSeedsSurrogatesAfterTheFoldsOwnAndSlurmsPrepareTrainsThemAll()
            throws Exception {
        Path out = dir.resolve("workers");
        StringWriter log = new StringWriter();
        ClosedLoop loop = new ClosedLoop(perSeed(), new PrintWriter(log, true));
        loop.prepareForWorkers(out, 1, false);
        assertTrue(Files.exists(out.resolve("scores.csv")), "the parent scores seed 0");
        assertFalse(Files.exists(out.resolve("seed_1")), "seed 1's surrogate is the workers'");
        boolean untouchedWhileHeld;
        try (FolderLock parent = loop.lockWhole(out);
                AnotherWorker other =
                        AnotherWorker.holding(
                                out.resolve(ClosedLoop.PREPARE_LOCK),
                                () -> log.toString().contains(" waits for "),
                                () -> !Files.exists(out.resolve("seed_1")))) {
            assertEquals(4, loop.work(out, 1, ProcessHandle.current().pid(), 1));
            other.close();
            untouchedWhileHeld = other.checked();
        }
        assertTrue(untouchedWhileHeld, "seed 1 waited for the fold's own folder");
        assertTrue(Files.exists(out.resolve("seed_1").resolve("scores.csv")));
        assertFalse(Files.exists(out.resolve("seed_1").resolve(ClosedLoop.PREPARE_LOCK)));
        assertEquals(
                epsilon(ScoresTable.read(out.resolve("seed_1").resolve("scores.csv"))),
                cell(out, "fusion_r0.400_s1_alignn").epsilon(),
                1e-12);

        Path slurm = dir.resolve("slurm");
        new ClosedLoop(perSeed(), new PrintWriter(new StringWriter())).prepare(slurm, 1);
        assertTrue(Files.exists(slurm.resolve("scores.csv")));
        assertTrue(Files.exists(slurm.resolve("seed_1").resolve("scores.csv")));
        try (Stream<Path> cells = Files.list(slurm.resolve("cells"))) {
            assertTrue(cells.findAny().isEmpty(), "no cell trained");
        }
    }

    private static double epsilon(List<ScoresTable.Row> rows) {
        return PruningOptimizer.epsilonForRatio(
                rows.stream().mapToDouble(ScoresTable.Row::influence).toArray(), 0.4);
    }

    private static CellResult cell(Path out, String name) throws Exception {
        return CellResult.read(out.resolve("cells").resolve(name + ".json"));
    }
}
