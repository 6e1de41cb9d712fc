package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.trainer.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The members of a query-by-committee train side by side under {@code fusion loop --workers}: the
 * parent leaves them to the workers, a worker that waits for a fold another worker prepares trains
 * the members no one trains yet, and the worker preparing the fold waits for a member that another
 * one trains instead of training it twice.
 */
class CommitteeWorkersTest {
    @TempDir Path dir;

    private static LoopConfig committee() {
        return TinyLoop.config(
                "methods=[committee]", "ratios=[0.4]", "seeds=[0]", "committee_size=3");
    }

    private static boolean trained(Path out, int member) {
        return Files.exists(
                out.resolve("committee").resolve("member_" + member).resolve("result.json"));
    }

    /**
     * While another worker holds the fold's {@code prepare.lock}, the worker under test trains
     * members 1 and 2 (member 0 is the surrogate, seed 0, trained by the parent) and computes no
     * cell; once the fold is free it prepares it from the trained members and computes the cell.
     */
    @Test
    void aWaitingWorkerTrainsTheFreeMembers() throws Exception {
        Path out = dir.resolve("free");
        StringWriter log = new StringWriter();
        ClosedLoop loop = new ClosedLoop(committee(), new PrintWriter(log, true));
        loop.prepareForWorkers(out, 1, false);
        assertTrue(Files.exists(out.resolve("scores.csv")), "the parent scores the surrogate");
        assertFalse(Files.exists(out.resolve("committee")), "the committee is the workers'");
        boolean membersButNoCell;
        try (FolderLock parent = loop.lockWhole(out);
                AnotherWorker other =
                        AnotherWorker.holding(
                                out.resolve(ClosedLoop.PREPARE_LOCK),
                                () -> log.toString().contains(" waits for "),
                                () ->
                                        trained(out, 1)
                                                && trained(out, 2)
                                                && !Files.exists(cell(out, "none_r0.000")))) {
            assertEquals(
                    2, loop.work(out, 1, ProcessHandle.current().pid(), 0), "unpruned and 40 %");
            other.close();
            membersButNoCell = other.checked();
        }
        assertTrue(membersButNoCell, "members 1 and 2 trained while the fold was held");
        assertFalse(trained(out, 0), "member 0 is the surrogate");
        assertEquals(2, count(log, "committee: training member"));
        assertTrue(Files.exists(out.resolve("cells").resolve("committee_r0.400_s0_alignn.json")));
    }

    /**
     * The worker preparing the fold waits for a member whose lock another worker holds, trains no
     * member twice, and trains that member itself once the lock is let go untrained.
     */
    @Test
    void thePreparingWorkerWaitsForAMemberAnotherTrains() throws Exception {
        Path out = dir.resolve("wait");
        StringWriter log = new StringWriter();
        ClosedLoop loop = new ClosedLoop(committee(), new PrintWriter(log, true));
        loop.prepareForWorkers(out, 1, false);
        boolean untouchedWhileHeld;
        try (FolderLock parent = loop.lockWhole(out);
                AnotherWorker other =
                        AnotherWorker.holding(
                                out.resolve("committee").resolve("member_1.lock"),
                                () -> log.toString().contains("committee: waiting for member 2"),
                                () -> !trained(out, 1))) {
            assertEquals(
                    2, loop.work(out, 1, ProcessHandle.current().pid(), 0), "unpruned and 40 %");
            other.close();
            untouchedWhileHeld = other.checked();
        }
        assertTrue(untouchedWhileHeld, "member 1 waited for while its lock was held");
        assertTrue(trained(out, 1) && trained(out, 2));
        assertEquals(2, count(log, "committee: training member"), "each member once");
        assertFalse(Files.exists(out.resolve("committee").resolve("member_1.lock")));
    }

    private static Path cell(Path out, String name) {
        return out.resolve("cells").resolve(name + "_s0_alignn.json");
    }

    private static long count(StringWriter log, String prefix) {
        return log.toString().lines().filter(l -> l.startsWith(prefix)).count();
    }
}
