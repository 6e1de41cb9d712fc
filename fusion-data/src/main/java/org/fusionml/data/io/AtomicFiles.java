package org.fusionml.data.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import org.fusionml.data.InvalidInputException;

/**
 * Every file output of the commands: data goes to a temporary file beside the target, which is
 * flushed to disk and renamed onto the target only once it is complete. A reader never sees a
 * partial file, and a failure or a kill leaves the previous content (or nothing) in place.
 *
 * <p>Targets are checked first: a target that exists and is not a regular file (a folder, a device
 * such as {@code /dev/null} or {@code /dev/full}, a pipe, a socket) and a target under a regular
 * file are refused with an {@link InvalidInputException} naming the target (one line; the command
 * line exits with code 2). A symbolic link is followed: the file it points to is replaced and the
 * link kept; a link to a missing file or to something that is not a regular file is refused. A full
 * disk, an exceeded quota, a read-only file system and a denied permission are reported the same
 * way, after the temporary file is removed.
 *
 * <p>Tests interrupt writes between their steps with {@link #injectFault}.
 */
public final class AtomicFiles {
    private static final ThreadLocal<Fault> FAULT = new ThreadLocal<>();

    private AtomicFiles() {}

    /** Writes what {@code body} produces into {@code target}, atomically. */
    public static void write(Path target, OutputWriter body) throws IOException {
        Path file = checkTarget(target);
        Path dir = createDirectories(file.getParent());
        Path tmp;
        try {
            removeStaleTemporaries(file);
            tmp = Files.createTempFile(dir, temporaryPrefix(file), ".tmp");
        } catch (IOException e) {
            throw failure(file, e);
        }
        try {
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                // createTempFile makes the file private (0600); results are ordinary files (0644).
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream out =
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                // Bodies may close what they are given (a JSON generator does): that only
                // flushes, the channel stays open to be forced.
                body.write(
                        new FilterOutputStream(out) {
                            @Override
                            public void write(byte[] b, int off, int len) throws IOException {
                                out.write(b, off, len);
                            }

                            @Override
                            public void close() throws IOException {
                                out.flush();
                            }
                        });
                out.flush();
                // On disk before the rename, so that a crash never leaves an empty target.
                channel.force(true);
            }
            fault(Step.WRITTEN, file);
            // The target may have been replaced since the check: never rename over a folder, a
            // device or a pipe.
            checkExisting(file, file);
            try {
                Files.move(
                        tmp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw failure(file, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        fault(Step.RENAMED, file);
    }

    /**
     * The name start of {@code file}'s temporaries: {@code .NAME.HOST.PID.}, so that a temporary
     * left by a killed process (SIGKILL: no clean-up runs) can be told from one being written.
     */
    private static String temporaryPrefix(Path file) {
        return "." + file.getFileName() + "." + HOST + "." + ProcessHandle.current().pid() + ".";
    }

    /**
     * Deletes the temporaries of {@code file} that a process of this host that is no longer alive
     * left behind. Those of live processes and of other hosts (a shared file system) are kept.
     */
    static void removeStaleTemporaries(Path file) throws IOException {
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        String mine = "." + file.getFileName() + "." + HOST + ".";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(dir, mine + "*.tmp")) {
            for (Path t : siblings) {
                String rest = t.getFileName().toString().substring(mine.length());
                int dot = rest.indexOf('.');
                if (dot <= 0 || !rest.substring(0, dot).matches("[0-9]{1,19}")) {
                    continue;
                }
                long pid = Long.parseLong(rest.substring(0, dot));
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(t);
            }
        }
    }

    /** This host's name as it may appear in a file name (no separators or dots). */
    private static final String HOST = hostName().replaceAll("[^A-Za-z0-9-]", "-");

    /**
     * The host name, as the kernel knows it where it says (Linux), else as Java resolves it: what
     * tells the processes of this host from those of another on a shared file system.
     */
    public static String hostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException ex) {
                return "localhost";
            }
        }
    }

    /** Writes {@code text} as UTF-8 into {@code target}, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Checks that {@code target} can be written as a regular file: it does not exist or is one (a
     * symbolic link: the file it points to), and no existing folder on its path is a file. Commands
     * call it before long work, so that a bad {@code --output} fails at once.
     *
     * @return the absolute path that is written: {@code target}, or the file a link points to
     * @throws InvalidInputException naming {@code target} and the problem
     */
    public static Path checkTarget(Path target) {
        Path abs = target.toAbsolutePath();
        Path file = abs;
        if (Files.isSymbolicLink(abs)) {
            try {
                file = abs.toRealPath();
            } catch (IOException e) {
                throw new InvalidInputException(
                        target.toString(),
                        null,
                        "is a symbolic link to a missing file; give a file path or mend the link");
            }
        }
        if (file.getParent() != null) {
            checkFolderPath(target, file.getParent());
        }
        checkExisting(target, file);
        return file;
    }

    /**
     * Checks that {@code dir} can be a folder: it and every existing element of its path are
     * folders (or do not exist yet). Writes nothing.
     *
     * @return {@code dir}
     * @throws InvalidInputException naming {@code dir} and the element in the way
     */
    public static Path checkFolder(Path dir) {
        checkFolderPath(dir, dir.toAbsolutePath());
        return dir;
    }

    /**
     * Creates {@code dir} and its missing parents, refusing a path where an existing element is a
     * file (or a device) rather than a folder.
     *
     * @return {@code dir}
     * @throws InvalidInputException naming {@code dir} and the element in the way
     */
    public static Path createDirectories(Path dir) throws IOException {
        checkFolder(dir);
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            // A dangling link, or an element replaced since the check.
            throw new InvalidInputException(
                    dir.toString(),
                    null,
                    "cannot be created: " + e.getFile() + " exists and is not a folder");
        } catch (IOException e) {
            throw failure(dir, e);
        }
        return dir;
    }

    /**
     * Runs {@code fault} at every step of the writes of this thread until the returned handle is
     * closed: tests throw from it to simulate a full disk (an {@link IOException}) or a kill (an
     * {@link Error}) at an exact point of a sequence of writes.
     */
    public static Injected injectFault(Fault fault) {
        Fault before = FAULT.get();
        FAULT.set(fault);
        return () -> {
            if (before == null) {
                FAULT.remove();
            } else {
                FAULT.set(before);
            }
        };
    }

    private static void fault(Step step, Path target) throws IOException {
        Fault f = FAULT.get();
        if (f != null) {
            f.at(step, target);
        }
    }

    /**
     * Refuses an existing {@code file} (or what the link {@code target} points to) that is not a
     * regular file.
     */
    private static void checkExisting(Path target, Path file) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new InvalidInputException(
                    target.toString(), null, "cannot be examined: " + reason(e));
        }
        if (a.isRegularFile()) {
            return;
        }
        String what =
                a.isDirectory()
                        ? "is a folder"
                        : a.isSymbolicLink() ? "is a symbolic link" : "is " + special(file);
        String where = file.equals(target.toAbsolutePath()) ? "" : " (" + file + ")";
        throw new InvalidInputException(
                target.toString(),
                null,
                what + where + ", not a regular file; outputs are written to regular files only");
    }

    /**
     * Refuses a folder path {@code dir} (of {@code target}) where an existing element is no folder.
     */
    private static void checkFolderPath(Path target, Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return;
            }
            if (Files.exists(p)) {
                throw new InvalidInputException(
                        target.toString(),
                        null,
                        "cannot be created: "
                                + p
                                + (Files.isRegularFile(p) ? " is a file" : " is " + special(p))
                                + ", not a folder");
            }
        }
    }

    /** "a character device", "a pipe", ... from the file type bits where the system tells them. */
    private static String special(Path p) {
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return switch (mode & 0170000) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a pipe";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a device, pipe or socket";
        }
    }

    /**
     * Throws the one-line user error of a failed write to {@code target} when the environment is to
     * blame (full disk, quota, read-only file system, permission on its folder); else returns
     * {@code e} for the caller to throw.
     */
    private static IOException failure(Path target, IOException e) {
        String why = environmentProblem(e, target.toAbsolutePath().getParent());
        if (why == null) {
            return e;
        }
        throw new InvalidInputException(
                target.toString(),
                null,
                why + "; nothing was written (the previous file, if any, is unchanged)");
    }

    private static String environmentProblem(Throwable e, Path dir) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException fs ? fs.getReason() : t.getMessage();
            String lower = m == null ? "" : m.toLowerCase(Locale.ROOT);
            if (lower.contains("no space left on device")) {
                return "no space left on device";
            }
            if (lower.contains("disk quota exceeded")) {
                return "disk quota exceeded";
            }
            if (lower.contains("read-only file system")) {
                return "read-only file system";
            }
            // Only where the write itself was denied: a body may read other files.
            if (t instanceof AccessDeniedException a
                    && a.getFile() != null
                    && dir != null
                    && Path.of(a.getFile()).toAbsolutePath().startsWith(dir)) {
                return "permission denied (" + a.getFile() + ")";
            }
        }
        return null;
    }

    private static String reason(IOException e) {
        return e instanceof FileSystemException fs && fs.getReason() != null
                ? fs.getReason()
                : String.valueOf(e.getMessage());
    }

    /** Produces the content of a file. */
    @FunctionalInterface
    public interface OutputWriter {
        void write(OutputStream out) throws IOException;
    }

    /** The points of a write where a test may inject a fault. */
    public enum Step {
        /** The temporary file is complete and on disk; the target is not yet replaced. */
        WRITTEN,
        /** The target is replaced; the next write has not begun. */
        RENAMED
    }

    /** A fault injected into writes (tests only). */
    @FunctionalInterface
    public interface Fault {
        /** Called at {@code step} of the write of {@code target}; throws to interrupt it. */
        void at(Step step, Path target) throws IOException;
    }

    /** The scope of an injected fault; closing it removes the fault. */
    public interface Injected extends AutoCloseable {
        @Override
        void close();
    }
}
