package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.trainer.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workers of {@code fusion loop --workers} share a loop's grid through the cell locks: a worker
 * computes every cell that is neither finished nor locked by a live process, passes over a locked
 * one, and refuses while a whole loop runs.
 */
class ClosedLoopWorkTest {
    @TempDir Path dir;

    private static LoopConfig tiny() {
        return TinyLoop.config("methods=[fusion, random]", "ratios=[0.0, 0.4]", "seeds=[0]");
    }

    @Test
    void aWorkerTakesTheFreeCellsAndPassesOverATakenOne() throws Exception {
        Path out = dir.resolve("loop");
        StringWriter log = new StringWriter();
        ClosedLoop loop = new ClosedLoop(tiny(), new PrintWriter(log, true));
        loop.prepare(out, 1);
        List<ClosedLoop.Cell> cells = loop.cells(out, 1);
        assertEquals(3, cells.size(), "unpruned, FUSION and random at 40 %");
        Path cellFiles = out.resolve("cells");
        long me = ProcessHandle.current().pid();

        // this process plays the parent (it holds loop.lock) and another worker (cell 1)
        try (FolderLock parent = loop.lockWhole(out);
                FolderLock other =
                        FolderLock.acquire(
                                out.resolve("cell_1.lock"),
                                "another worker",
                                new PrintWriter(log))) {
            assertEquals(2, loop.work(out, 1, me, 2), "cells 2 and 0; cell 1 is another's");
            assertFalse(Files.exists(cellFiles.resolve(cells.get(1).name() + ".json")));
            assertTrue(Files.exists(cellFiles.resolve(cells.get(0).name() + ".json")));
            assertTrue(Files.exists(cellFiles.resolve(cells.get(2).name() + ".json")));
            assertEquals(
                    List.of("cell 3/3", "cell 1/3"),
                    log.toString()
                            .lines()
                            .filter(l -> l.startsWith("cell "))
                            .map(l -> l.substring(0, 8))
                            .toList(),
                    "worker 2 starts its round at cell 2:\n" + log);
        }
        assertEquals(1, loop.work(out, 1, me, 0), "released: the last cell");
        assertTrue(Files.exists(cellFiles.resolve(cells.get(1).name() + ".json")));
        assertEquals(0, loop.work(out, 1, me, 0), "nothing left");
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(
                    List.of(),
                    s.filter(p -> p.getFileName().toString().endsWith(".lock")).toList(),
                    "every lock released");
        }
    }

    /**
     * Out of distribution, the workers prepare the folds: the parent only clusters; a worker runs
     * the cells of the fold it prepared while another worker still holds the other fold, then
     * prepares that fold itself once it is free, and computes its cells.
     */
    @Test
    @Timeout(600)
    void workersPrepareTheFoldsOfAnOutOfDistributionLoop() throws Exception {
        LoopConfig cfg =
                TinyLoop.config(
                        "methods=[random]",
                        "ratios=[0.0, 0.4]",
                        "seeds=[0]",
                        "ood={clusters: 6, evaluated: 2, seed: 3}");
        Path out = dir.resolve("ood");
        StringWriter log = new StringWriter();
        ClosedLoop loop = new ClosedLoop(cfg, new PrintWriter(log, true));
        loop.prepareForWorkers(out, 1, false);
        Path fold0 = out.resolve("fold_0");
        Path fold1 = out.resolve("fold_1");
        assertFalse(Files.exists(fold0.resolve("scores.csv")), "no fold prepared by the parent");
        assertFalse(Files.exists(fold1.resolve("scores.csv")));
        List<ClosedLoop.Cell> cells = loop.cells(out, 1);
        assertEquals(List.of(0, 0, 1, 1), cells.stream().map(ClosedLoop.Cell::fold).toList());
        Path cellFiles = out.resolve("cells");
        long me = ProcessHandle.current().pid();

        Files.createDirectories(fold1);
        try (FolderLock stray =
                FolderLock.acquire(
                        fold1.resolve(ClosedLoop.PREPARE_LOCK),
                        "a worker",
                        new PrintWriter(new StringWriter()))) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> loop.lockWhole(out));
            assertTrue(
                    e.getMessage().startsWith(fold1.resolve(ClosedLoop.PREPARE_LOCK).toString()),
                    "a whole loop waits for a worker that prepares a fold: " + e.getMessage());
        }
        boolean untouchedWhileHeld;
        try (FolderLock parent = loop.lockWhole(out);
                // the other worker lets fold 1 go once this one has computed fold 0's cells and
                // said that it waits
                AnotherWorker other =
                        AnotherWorker.holding(
                                fold1.resolve(ClosedLoop.PREPARE_LOCK),
                                () ->
                                        Files.exists(cellFile(cellFiles, cells.get(0)))
                                                && Files.exists(cellFile(cellFiles, cells.get(1)))
                                                && log.toString().contains(" waits for "),
                                () -> !Files.exists(fold1.resolve("scores.csv")))) {
            assertEquals(4, loop.work(out, 1, me, 0), "fold 0's cells, then fold 1's");
            other.close();
            untouchedWhileHeld = other.checked();
        }
        String said = log.toString();
        assertTrue(said.contains(" waits for fold 1, prepared by another worker (pid "), said);
        assertEquals(1, said.split(" waits for ", -1).length - 1, "said once: " + said);
        assertTrue(
                said.indexOf(" waits for ") > said.lastIndexOf(cells.get(1).name()),
                "said when it had nothing else to do, after fold 0's cells: " + said);
        assertTrue(untouchedWhileHeld, "fold 1 left alone while another worker held it");
        assertTrue(Files.exists(fold0.resolve("scores.csv")));
        assertTrue(Files.exists(fold1.resolve("scores.csv")), "prepared by this worker");
        for (ClosedLoop.Cell c : cells) {
            assertTrue(Files.exists(cellFile(cellFiles, c)), c.name());
        }
        assertFalse(Files.exists(fold0.resolve(ClosedLoop.PREPARE_LOCK)), "released");
        assertFalse(Files.exists(fold1.resolve(ClosedLoop.PREPARE_LOCK)), "released");
    }

    private static Path cellFile(Path cellFiles, ClosedLoop.Cell c) {
        return cellFiles.resolve(c.name() + ".json");
    }

    /** A whole loop of another live process holds the folder: a worker refuses, in one line. */
    @Test
    void aWorkerRefusesALoopLockNotHeldByItsParent() throws Exception {
        Path out = dir.resolve("loop");
        ClosedLoop loop = new ClosedLoop(tiny(), new PrintWriter(new StringWriter(), true));
        loop.prepare(out, 1);
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            ProcessHandle h = sleeper.toHandle();
            FolderLock.Owner stranger =
                    new FolderLock.Owner(
                            h.pid(),
                            FolderLock.hostName(),
                            h.info().startInstant().map(Object::toString).orElse(null),
                            "fusion loop");
            Path whole = out.resolve("loop.lock");
            Files.write(whole, new ObjectMapper().writeValueAsBytes(stranger));
            InvalidInputException e =
                    assertThrows(
                            InvalidInputException.class,
                            () -> loop.work(out, 1, ProcessHandle.current().pid(), 0));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    whole
                                            + ": this folder is in use by fusion loop (pid "
                                            + h.pid()),
                    e.getMessage());
            Path cellFiles = out.resolve("cells");
            assertTrue(
                    !Files.exists(cellFiles) || Files.list(cellFiles).findAny().isEmpty(),
                    "no cell computed");
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void tryAcquireGivesWayToALiveHolderOnly() throws Exception {
        Path file = dir.resolve("cell_0.lock");
        StringWriter log = new StringWriter();
        try (FolderLock held = FolderLock.acquire(file, "a worker", new PrintWriter(log))) {
            assertTrue(FolderLock.tryAcquire(file, "another", new PrintWriter(log)).isEmpty());
            assertTrue(Files.exists(file), "the holder's lock is left alone");
        }
        var mine = FolderLock.tryAcquire(file, "another", new PrintWriter(log));
        assertTrue(mine.isPresent(), "free once released");
        mine.get().close();
        assertFalse(Files.exists(file));
    }
}
