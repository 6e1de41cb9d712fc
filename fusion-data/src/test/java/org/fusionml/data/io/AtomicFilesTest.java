package org.fusionml.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Atomic writes: the target is replaced whole or not at all, targets that are not regular files are
 * refused before anything is written, and a full disk is one line naming the target.
 */
class AtomicFilesTest {
    @TempDir Path dir;

    /** Every name in {@code dir}, recursively (temporary files included). */
    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir))
                    .map(p -> dir.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static String oneLine(InvalidInputException e) {
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void writesReplacesAndLeavesNoTemporaryFile() throws Exception {
        Path f = dir.resolve("a/b/out.txt");
        AtomicFiles.writeString(f, "one");
        AtomicFiles.writeString(f, "two");
        assertEquals("two", Files.readString(f));
        assertEquals(List.of("a", "a/b", "a/b/out.txt"), names());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    /**
     * A temporary that a killed process (SIGKILL) left beside its target is removed by the next
     * write of that target; one of a live process or of another host is kept.
     */
    @Test
    void temporariesOfDeadProcessesAreRemovedByTheNextWrite() throws Exception {
        Path f = dir.resolve("out.txt");
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long dead = p.pid();
        String host = AtomicFiles.hostName().replaceAll("[^A-Za-z0-9-]", "-");
        Path stale = dir.resolve(".out.txt." + host + "." + dead + ".123.tmp");
        Path live =
                dir.resolve(".out.txt." + host + "." + ProcessHandle.current().pid() + ".9.tmp");
        Path elsewhere = dir.resolve(".out.txt.otherhost." + dead + ".5.tmp");
        Path otherTarget = dir.resolve(".other.txt." + host + "." + dead + ".7.tmp");
        for (Path t : List.of(stale, live, elsewhere, otherTarget)) {
            Files.writeString(t, "half");
        }
        assumeTrue(ProcessHandle.of(dead).isEmpty(), "the pid was reused at once");
        AtomicFiles.writeString(f, "whole");
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(live) && Files.exists(elsewhere) && Files.exists(otherTarget));
        assertEquals("whole", Files.readString(f));
    }

    /** A body that closes its stream (as a JSON generator does) still gets a complete file. */
    @Test
    void aBodyThatClosesItsStreamIsWrittenWhole() throws Exception {
        Path f = dir.resolve("out.bin");
        byte[] bytes = new byte[200_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        AtomicFiles.write(
                f,
                out -> {
                    out.write(bytes, 0, 100);
                    out.write(bytes, 100, bytes.length - 100);
                    out.close();
                });
        assertArrayEquals(bytes, Files.readAllBytes(f));
        assertEquals(List.of("out.bin"), names());
    }

    @Test
    void devicesAreRefusedBeforeAnythingIsWritten() {
        for (String device : List.of("/dev/null", "/dev/full")) {
            Path p = Path.of(device);
            assumeTrue(Files.exists(p), device);
            InvalidInputException e =
                    assertThrows(
                            InvalidInputException.class, () -> AtomicFiles.writeString(p, "x"));
            assertEquals(
                    device
                            + ": is a character device, not a regular file; outputs are written to"
                            + " regular files only",
                    oneLine(e));
            assertTrue(Files.exists(p), "the device is still there");
        }
    }

    @Test
    void aFolderTargetIsRefused() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(sub, "x"));
        assertEquals(
                sub
                        + ": is a folder, not a regular file; outputs are written to regular files"
                        + " only",
                oneLine(e));
        assertEquals(List.of("sub"), names());
    }

    @Test
    void aPipeIsRefusedAndNeverOpened() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(p.waitFor() == 0 && Files.exists(fifo), "mkfifo works here");
        // Opening a pipe with no reader would block: a refusal that returns shows it was not.
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(fifo, "x"));
        assertTrue(oneLine(e).startsWith(fifo + ": is a pipe, not a regular file"), e.getMessage());
        assertEquals(List.of("pipe"), names());
    }

    @Test
    void aPathUnderAFileIsRefused() throws Exception {
        Path file = dir.resolve("results.csv");
        Files.writeString(file, "keep");
        Path under = file.resolve("x/out.csv");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class, () -> AtomicFiles.writeString(under, "x"));
        assertEquals(
                under + ": cannot be created: " + file + " is a file, not a folder", oneLine(e));
        e = assertThrows(InvalidInputException.class, () -> AtomicFiles.createDirectories(under));
        assertTrue(oneLine(e).endsWith(file + " is a file, not a folder"), e.getMessage());
        assertEquals("keep", Files.readString(file));
        assertEquals(List.of("results.csv"), names());
    }

    @Test
    void aLinkIsFollowedAndKeptAndALinkToADeviceOrNothingIsRefused() throws Exception {
        Path real = dir.resolve("real.txt");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real);
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is not renamed over");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.txt", "real.txt"), names());

        Path toNull = Files.createSymbolicLink(dir.resolve("null.txt"), Path.of("/dev/null"));
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class, () -> AtomicFiles.writeString(toNull, "x"));
        assertEquals(
                toNull
                        + ": is a character device (/dev/null), not a regular file; outputs are"
                        + " written to regular files only",
                oneLine(e));
        assertTrue(Files.isSymbolicLink(toNull));

        Path dangling = Files.createSymbolicLink(dir.resolve("gone.txt"), dir.resolve("missing"));
        e = assertThrows(InvalidInputException.class, () -> AtomicFiles.writeString(dangling, "x"));
        assertTrue(oneLine(e).startsWith(dangling + ": is a symbolic link to a missing file"));
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    /** A disk that fills half way through a write: one line, the old content, no leftovers. */
    @Test
    void aFullDiskIsOneLineAndLeavesThePreviousFile() throws Exception {
        Path f = dir.resolve("out.txt");
        AtomicFiles.writeString(f, "previous");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                AtomicFiles.write(
                                        f,
                                        out -> {
                                            out.write(new byte[100_000]);
                                            throw new IOException("No space left on device");
                                        }));
        assertEquals(
                f
                        + ": no space left on device; nothing was written (the previous file, if"
                        + " any, is unchanged)",
                oneLine(e));
        assertEquals("previous", Files.readString(f));
        assertEquals(List.of("out.txt"), names());
    }

    /** The same through the fault hook, after the temporary file is complete. */
    @Test
    void injectedFaultsStopAWriteAtEachStep() throws Exception {
        Path f = dir.resolve("out.txt");
        List<String> steps = new ArrayList<>();
        try (AtomicFiles.Injected i =
                AtomicFiles.injectFault(
                        (step, target) -> steps.add(step + " " + target.getFileName()))) {
            AtomicFiles.writeString(f, "first");
        }
        assertEquals(List.of("WRITTEN out.txt", "RENAMED out.txt"), steps);

        try (AtomicFiles.Injected i =
                AtomicFiles.injectFault(
                        (step, target) -> {
                            if (step == AtomicFiles.Step.WRITTEN) {
                                throw new IOException("Disk quota exceeded");
                            }
                        })) {
            InvalidInputException e =
                    assertThrows(
                            InvalidInputException.class,
                            () -> AtomicFiles.writeString(f, "second"));
            assertTrue(oneLine(e).startsWith(f + ": disk quota exceeded; nothing was written"));
        }
        try (AtomicFiles.Injected i =
                AtomicFiles.injectFault(
                        (step, target) -> {
                            if (step == AtomicFiles.Step.WRITTEN) {
                                throw new IllegalStateException("killed");
                            }
                        })) {
            assertThrows(IllegalStateException.class, () -> AtomicFiles.writeString(f, "third"));
        }
        assertEquals("first", Files.readString(f, StandardCharsets.UTF_8));
        assertEquals(List.of("out.txt"), names());
        AtomicFiles.writeString(f, "after");
        assertEquals("after", Files.readString(f), "the fault is gone with its scope");
    }

    @Test
    void otherFailuresOfTheBodyAreNotDisguised() {
        Path f = dir.resolve("out.txt");
        IOException e =
                assertThrows(
                        IOException.class,
                        () ->
                                AtomicFiles.write(
                                        f,
                                        out -> {
                                            throw new IOException("connection reset");
                                        }));
        assertEquals("connection reset", e.getMessage());
        assertFalse(Files.exists(f));
    }
}
