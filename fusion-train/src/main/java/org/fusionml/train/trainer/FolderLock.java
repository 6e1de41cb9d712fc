package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;

/**
 * A lock file that keeps two processes from writing the same output folder (a loop's {@code
 * loop.lock} and {@code cell_K.lock}, a training's {@code train.lock}): it holds the owner's pid,
 * host, start time and command, and is created atomically (a hard link to a complete file), so a
 * reader never sees it half-written.
 *
 * <p>A lock whose owner is alive is refused with one line naming the file, the owner and what to
 * do. A lock of a process that is gone (its pid is not alive on this host, or now belongs to a
 * process started later) is stale: it is taken over with a message. A lock of another host cannot
 * be checked and is refused. The lock is released by {@link #close}, and by a shutdown hook when
 * the program is stopped (Ctrl-C, SIGTERM); after a SIGKILL it stays and is stale.
 */
public final class FolderLock implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Start times of one process, read twice, differ by at most this (rounding). */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    private final Path file;
    private final Owner owner;
    private final Thread releaseAtExit;

    private FolderLock(Path file, Owner owner) {
        this.file = file;
        this.owner = owner;
        this.releaseAtExit =
                new Thread(
                        () -> {
                            EngineGate.awaitDrainAtExit(); // the batch in progress may still write
                            release();
                        },
                        "release " + file);
        Runtime.getRuntime().addShutdownHook(releaseAtExit);
    }

    /**
     * Who holds a lock.
     *
     * @param pid process id
     * @param host host name
     * @param started when the process started (ISO-8601), null when the system does not tell
     * @param command what it runs, for the messages
     */
    public record Owner(
            @JsonProperty("pid") long pid,
            @JsonProperty("host") String host,
            @JsonProperty("started") String started,
            @JsonProperty("command") String command) {
        /** This process, running {@code command}. */
        public static Owner self(String command) {
            ProcessHandle me = ProcessHandle.current();
            return new Owner(
                    me.pid(),
                    hostName(),
                    me.info().startInstant().map(Instant::toString).orElse(null),
                    command);
        }

        /** Whether the owner is known to be running (on another host: assumed). */
        public boolean alive() {
            if (!host.equals(hostName())) {
                return true;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (p.isEmpty()) {
                return false;
            }
            Optional<Instant> start = p.get().info().startInstant();
            // A pid reused by a process started later is not the owner.
            return started == null
                    || start.isEmpty()
                    || Duration.between(Instant.parse(started), start.get())
                                    .abs()
                                    .compareTo(SAME_START)
                            <= 0;
        }

        public String describe() {
            return command
                    + " (pid "
                    + pid
                    + " on "
                    + (host.equals(hostName()) ? "this host" : "host " + host)
                    + (started == null ? "" : ", started " + started)
                    + ")";
        }
    }

    /**
     * Takes the lock {@code file} for {@code command}, taking over a stale one (with a line on
     * {@code log}).
     *
     * @throws InvalidInputException naming {@code file} when a live process (or one on another
     *     host) holds it
     */
    public static FolderLock acquire(Path file, String command, PrintWriter log)
            throws IOException {
        Owner[] holder = new Owner[1];
        FolderLock lock = take(file, command, log, holder);
        if (lock == null) {
            throw held(file, holder[0]);
        }
        return lock;
    }

    /**
     * As {@link #acquire}, but empty instead of an exception when a live process (or one on another
     * host) holds the lock: for workers that each take whichever of many locks is free.
     */
    public static Optional<FolderLock> tryAcquire(Path file, String command, PrintWriter log)
            throws IOException {
        return Optional.ofNullable(attempt(file, command, log).lock());
    }

    /**
     * What {@link #attempt} found.
     *
     * @param lock the lock, taken; null when another process holds it
     * @param holder that process (live, or on another host), when {@code lock} is null
     */
    public record Attempt(FolderLock lock, Owner holder) {
        public boolean taken() {
            return lock != null;
        }
    }

    /** As {@link #tryAcquire}, with the live holder when the lock is not taken. */
    public static Attempt attempt(Path file, String command, PrintWriter log) throws IOException {
        Owner[] holder = new Owner[1];
        FolderLock lock = take(file, command, log, holder);
        return new Attempt(lock, holder[0]);
    }

    /** The lock, or null with its live holder in {@code holder[0]}. */
    private static FolderLock take(Path file, String command, PrintWriter log, Owner[] holder)
            throws IOException {
        AtomicFiles.createDirectories(file.toAbsolutePath().getParent());
        Owner me = Owner.self(command);
        byte[] content = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(me);
        for (int attempt = 0; attempt < 3; attempt++) {
            if (create(file, content)) {
                return new FolderLock(file, me);
            }
            byte[] seen;
            try {
                seen = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                continue; // released meanwhile
            }
            Owner owner = parse(file, seen);
            if (owner.alive()) {
                holder[0] = owner;
                return null;
            }
            if (takeOver(file, seen)) {
                log.println(
                        "taking over the stale lock "
                                + file
                                + " of "
                                + owner.describe()
                                + ": that process is gone");
                log.flush();
            }
        }
        throw new InvalidInputException(
                file.toString(), null, "other processes keep taking this lock; try again");
    }

    /**
     * The live owner of any of the locks {@code files} other than this one's, if there is one (a
     * stale lock counts as free).
     */
    public static Optional<Owner> liveOwner(List<Path> files) throws IOException {
        for (Path f : files) {
            try {
                Owner o = parse(f, Files.readAllBytes(f));
                if (o.alive()) {
                    return Optional.of(o);
                }
            } catch (NoSuchFileException e) {
                // released meanwhile
            }
        }
        return Optional.empty();
    }

    /** The one-line refusal of a lock held by {@code holder}. */
    public static InvalidInputException held(Path file, Owner holder) {
        return new InvalidInputException(
                file.toString(),
                null,
                "this folder is in use by "
                        + holder.describe()
                        + "; wait for it to finish or stop it, or use another --output (if no such"
                        + " process runs, delete this file)");
    }

    /** Creates {@code file} with {@code content} atomically; false when it exists. */
    private static boolean create(Path file, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.createLink(file, tmp);
            } catch (UnsupportedOperationException e) {
                // No hard links here: create-new is atomic too, the content follows at once.
                Files.write(file, content, StandardOpenOption.CREATE_NEW);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Moves the stale lock {@code file} (content {@code seen}) aside and deletes it; when what was
     * moved is not what was judged stale (another process took over meanwhile), puts it back.
     */
    private static boolean takeOver(Path file, byte[] seen) throws IOException {
        Path aside =
                file.resolveSibling(file.getFileName() + ".stale-" + ProcessHandle.current().pid());
        try {
            Files.move(file, aside);
        } catch (NoSuchFileException e) {
            return false;
        }
        byte[] moved = Files.readAllBytes(aside);
        if (Arrays.equals(moved, seen)) {
            Files.delete(aside);
            return true;
        }
        try {
            Files.createLink(file, aside);
        } catch (FileAlreadyExistsException e) {
            // a third process created the lock meanwhile: it owns it; what was moved aside is
            // lost, and its owner (which took over the same stale lock) finds its lock gone
        } finally {
            Files.delete(aside);
        }
        return false;
    }

    private static Owner parse(Path file, byte[] content) {
        try {
            Owner o = JSON.readValue(content, Owner.class);
            if (o.host() == null || o.pid() <= 0 || o.command() == null) {
                throw new IOException("incomplete");
            }
            return o;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException(
                    file.toString(),
                    null,
                    "an unreadable lock file; if no fusion process runs in this folder, delete it");
        }
    }

    /** The host name ({@link AtomicFiles#hostName}). */
    public static String hostName() {
        return AtomicFiles.hostName();
    }

    Path file() {
        return file;
    }

    /** Deletes the lock file if it is still this lock. */
    private synchronized void release() {
        try {
            byte[] now = Files.readAllBytes(file);
            if (parse(file, now).equals(owner)) {
                Files.delete(file);
            }
        } catch (IOException | RuntimeException e) {
            // Gone or replaced: nothing of this lock is left to release.
        }
    }

    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(releaseAtExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs (or ran) anyway.
        }
    }
}
