package org.fusionml.train.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * {@code fusion loop --workers N}: N processes of this program, each {@code fusion loop --worker},
 * take the loop's free cells side by side (ClosedLoop#work) while this process holds the loop's
 * lock; the fingerprints, and in distribution the one surrogate, are prepared before they start,
 * the folds of an out-of-distribution loop by the workers (ClosedLoop#prepareForWorkers).
 *
 * <p>Why processes: DJL's PyTorch engine lets one gradient collector record at a time in a JVM, so
 * cells cannot train on threads of one process. Why it pays: a small target's arrays are too small
 * for libtorch's intra-op threads to share (CGCNN and SchNet train as fast on one thread as on
 * two), so on a few cores N single-threaded cells do more than one cell on N threads
 * (docs/performance.md, "Cells side by side").
 *
 * <p>Each worker is a JVM started as this one was (the same options, {@code ai.djl.*}, {@code
 * fusion.*} and {@code org.slf4j.*} system properties and class path) with libtorch's intra-op
 * threads set to (available cores / N), at least 1, unless {@code ai.djl.pytorch.num_threads} is
 * set for this process (then that). Its output is copied, line by line, to this process's error
 * stream. Stopping this process (Ctrl-C, SIGTERM) stops the workers; their finished cells stay.
 */
final class LoopWorkers {
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private LoopWorkers() {}

    /**
     * What the workers did.
     *
     * @param computed cells the workers finished
     * @param exitCode 0, or the exit code of this command when a worker failed: 2 when every
     *     failure was a user error (exit code 2), else 1
     * @param failure the failed workers and their exit codes (null when none failed)
     */
    record Outcome(int computed, int exitCode, String failure) {}

    /**
     * Starts {@code n} workers with the {@code fusion} arguments {@code args} and waits for all.
     *
     * @param out the loop folder (its {@code cells/} is counted before and after)
     */
    static Outcome run(int n, List<String> args, Path out, PrintWriter err)
            throws IOException, InterruptedException {
        int before = finishedCells(out);
        List<String> command = command(args, n, Runtime.getRuntime().availableProcessors());
        List<Process> workers = new CopyOnWriteArrayList<>();
        List<Thread> copiers = new ArrayList<>();
        Thread stopWorkers = new Thread(() -> workers.forEach(Process::destroy), "stop workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
        List<String> failed = new ArrayList<>();
        boolean onlyUserErrors = true;
        try {
            for (int w = 0; w < n; w++) {
                List<String> cmd = new ArrayList<>(command);
                cmd.set(cmd.indexOf(WORKER_INDEX), String.valueOf(w));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                workers.add(p);
                copiers.add(copy(p, err));
            }
            for (Process p : workers) {
                int code = p.waitFor();
                if (code != 0) {
                    failed.add("pid " + p.pid() + " exit code " + code);
                    onlyUserErrors &= code == 2;
                }
            }
            for (Thread c : copiers) {
                c.join();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            workers.forEach(Process::destroy);
            throw e;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopWorkers);
        }
        int computed = finishedCells(out) - before;
        if (failed.isEmpty()) {
            return new Outcome(computed, 0, null);
        }
        return new Outcome(computed, onlyUserErrors ? 2 : 1, String.join(", ", failed));
    }

    /** In {@link #command}'s arguments, the place of the worker's index. */
    static final String WORKER_INDEX = "WORKER_INDEX";

    /** A thread that copies the lines of {@code p}'s output to {@code err}. */
    private static Thread copy(Process p, PrintWriter err) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    p.getInputStream(), StandardCharsets.UTF_8))) {
                                for (String line; (line = r.readLine()) != null; ) {
                                    synchronized (err) {
                                        err.println(line);
                                        err.flush();
                                    }
                                }
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        },
                        "worker " + p.pid() + " output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * The command line of a worker: this JVM's executable, options, {@code ai.djl.*}, {@code
     * fusion.*} and {@code org.slf4j.*} system properties and class path, then the main class and
     * {@code args}; with {@code -Dai.djl.pytorch.num_threads=max(1, cores / n)} unless that
     * property is set.
     */
    static List<String> command(List<String> args, int n, int cores) {
        List<String> jvmOptions = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : jvmOptions) {
            if (!o.startsWith("-agentlib:jdwp")) { // a debugger port can be bound once
                cmd.add(o);
            }
        }
        // the engine's, this program's and the logger's settings, also where set in-process
        for (String key : System.getProperties().stringPropertyNames()) {
            String option = "-D" + key + "=";
            if ((key.startsWith("ai.djl.")
                            || key.startsWith("fusion.")
                            || key.startsWith("org.slf4j."))
                    && jvmOptions.stream().noneMatch(o -> o.startsWith(option))) {
                cmd.add(option + System.getProperty(key));
            }
        }
        if (System.getProperty(THREADS_PROPERTY) == null) {
            cmd.add("-D" + THREADS_PROPERTY + "=" + Math.max(1, cores / n));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(FusionCli.class.getName());
        cmd.addAll(args);
        return cmd;
    }

    private static int finishedCells(Path out) throws IOException {
        Path cells = out.resolve("cells");
        if (!Files.isDirectory(cells)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cells)) {
            return (int) s.filter(p -> p.toString().endsWith(".json")).count();
        }
    }
}
