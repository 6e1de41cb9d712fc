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
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.trainer.FolderLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes never run one loop folder: a live owner's lock is refused with one line, a lock of
 * a process that is gone is taken over with a message, and a lock is released when its run ends.
 */
class LoopLockTest {
    @TempDir Path dir;

    private final StringWriter log = new StringWriter();

    private FolderLock acquire(Path file, String command) throws Exception {
        return FolderLock.acquire(file, command, new PrintWriter(log, true));
    }

    private static String oneLine(InvalidInputException e) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    private static void writeOwner(Path file, FolderLock.Owner owner) throws Exception {
        Files.write(file, new ObjectMapper().writeValueAsBytes(owner));
    }

    /** The pid of a process that has ended (and been reaped). */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    @Test
    void aSecondLockOnOneFolderIsRefusedUntilTheFirstIsReleased() throws Exception {
        Path file = dir.resolve("loop.lock");
        long me = ProcessHandle.current().pid();
        try (FolderLock first = acquire(file, "fusion loop")) {
            FolderLock.Owner owner =
                    new ObjectMapper().readValue(file.toFile(), FolderLock.Owner.class);
            assertEquals(me, owner.pid());
            assertEquals(FolderLock.hostName(), owner.host());
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> acquire(file, "fusion loop"));
            String started = owner.started() == null ? "" : ", started " + owner.started();
            assertEquals(
                    file
                            + ": this folder is in use by fusion loop (pid "
                            + me
                            + " on this host"
                            + started
                            + "); wait for it to finish or stop it, or use another --output (if"
                            + " no such process runs, delete this file)",
                    oneLine(e));
            assertTrue(Files.exists(file), "the refused call leaves the lock alone");
        }
        assertFalse(Files.exists(file), "released");
        try (FolderLock again = acquire(file, "fusion loop")) {
            assertTrue(Files.exists(file));
        }
        assertEquals("", log.toString(), "no stale lock was met");
        assertEquals(List.of(), names(), "nothing left behind");
    }

    @Test
    void theLockOfAProcessThatIsGoneIsTakenOverWithAMessage() throws Exception {
        Path file = dir.resolve("loop.lock");
        long pid = deadPid();
        writeOwner(file, new FolderLock.Owner(pid, FolderLock.hostName(), null, "fusion loop"));
        try (FolderLock lock = acquire(file, "fusion loop --prepare")) {
            assertEquals(
                    "taking over the stale lock "
                            + file
                            + " of fusion loop (pid "
                            + pid
                            + " on this host): that process is gone\n",
                    log.toString());
            FolderLock.Owner now =
                    new ObjectMapper().readValue(file.toFile(), FolderLock.Owner.class);
            assertEquals(ProcessHandle.current().pid(), now.pid());
            assertEquals("fusion loop --prepare", now.command());
        }
        assertEquals(List.of(), names());
    }

    /**
     * This process's pid, but recorded as started long ago: the pid was reused, the lock is stale.
     */
    @Test
    void aReusedPidDoesNotKeepAStaleLock() throws Exception {
        Path file = dir.resolve("loop.lock");
        long me = ProcessHandle.current().pid();
        writeOwner(
                file,
                new FolderLock.Owner(
                        me, FolderLock.hostName(), "2001-01-01T00:00:00Z", "fusion loop"));
        boolean startKnown = ProcessHandle.current().info().startInstant().isPresent();
        if (startKnown) {
            try (FolderLock lock = acquire(file, "fusion loop")) {
                assertTrue(log.toString().startsWith("taking over the stale lock"), log.toString());
            }
        } else {
            assertThrows(InvalidInputException.class, () -> acquire(file, "fusion loop"));
        }
    }

    @Test
    void aLockOfAnotherHostOrAnUnreadableLockIsRefused() throws Exception {
        Path file = dir.resolve("loop.lock");
        writeOwner(
                file,
                new FolderLock.Owner(
                        4242, "elsewhere.invalid", "2001-01-01T00:00:00Z", "fusion loop"));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> acquire(file, "fusion loop"));
        assertTrue(
                oneLine(e)
                        .startsWith(
                                file
                                        + ": this folder is in use by fusion loop (pid 4242"
                                        + " on host elsewhere.invalid, started"
                                        + " 2001-01-01T00:00:00Z)"),
                e.getMessage());
        Files.writeString(file, "garbage");
        e = assertThrows(InvalidInputException.class, () -> acquire(file, "fusion loop"));
        assertEquals(
                file
                        + ": an unreadable lock file; if no fusion process runs in this folder,"
                        + " delete it",
                oneLine(e));
        assertEquals("garbage", Files.readString(file), "not taken over");
    }

    private static LoopConfig quickstart() {
        return ConfigLoader.load(
                Path.of("../configs/quickstart.yaml"), List.of("seeds=[0]"), LoopConfig.class);
    }

    /**
     * A whole loop refuses while a cell task runs and a cell task refuses while a whole loop runs;
     * the refused call leaves no lock and writes nothing.
     */
    @Test
    void wholeLoopsAndCellTasksExcludeEachOther() throws Exception {
        Path out = dir.resolve("loop");
        ClosedLoop loop = new ClosedLoop(quickstart(), new PrintWriter(log, true));
        Path whole = out.resolve("loop.lock");
        try (FolderLock running = acquire(whole, "fusion loop")) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> loop.run(out, 1, 3, false));
            assertTrue(
                    oneLine(e).startsWith(whole + ": this folder is in use by fusion loop (pid "));
            e = assertThrows(InvalidInputException.class, () -> loop.run(out, 1));
            assertTrue(oneLine(e).startsWith(whole + ": "), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> loop.prepare(out, 1));
            assertTrue(oneLine(e).startsWith(whole + ": "), e.getMessage());
        }
        Path cell = out.resolve("cell_3.lock");
        try (FolderLock task = acquire(cell, "fusion loop --cell 3")) {
            InvalidInputException e =
                    assertThrows(InvalidInputException.class, () -> loop.run(out, 1));
            assertTrue(
                    oneLine(e)
                            .startsWith(
                                    cell
                                            + ": this folder is in use by fusion loop --cell 3"
                                            + " (pid "),
                    e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> loop.run(out, 1, 3, false));
            assertTrue(oneLine(e).startsWith(cell + ": "), e.getMessage());
            e = assertThrows(InvalidInputException.class, () -> loop.run(out, 1, 0, true));
            assertTrue(oneLine(e).startsWith(cell + ": "), "--restart is a whole-loop call");
        }
        try (Stream<Path> s = Files.walk(out)) {
            assertEquals(
                    List.of(out),
                    s.sorted().toList(),
                    "no lock, no loop.yaml, no result left behind");
        }
    }

    private List<Path> names() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
