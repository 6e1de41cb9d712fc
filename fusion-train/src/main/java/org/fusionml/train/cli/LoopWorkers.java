package org.fusionml.train.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code fusion loop --workers N}: N processes of this program, each {@code fusion loop --worker},
 * take the loop's free cells side by side (ClosedLoop#work); the surrogates and fingerprints are
 * prepared before they start.
 *
 * <p>Why processes: DJL's PyTorch engine lets one gradient collector record at a time in a JVM, so
 * cells cannot train on threads of one process. Why it pays: a small target's arrays are too small
 * for libtorch's intra-op threads to share (CGCNN and SchNet train as fast on one thread as on
 * two), so on a few cores N single-threaded cells do N times the work of one cell on N threads
 * (docs/performance.md, "Cells side by side").
 *
 * <p>Each worker is a JVM started as this one was (the same options and class path) with libtorch's
 * intra-op threads set to (available cores / N), at least 1, unless {@code OMP_NUM_THREADS} or
 * {@code ai.djl.pytorch.num_threads} already sets them. A worker's messages go to this process's
 * output. Stopping this process stops the workers; their cells resume.
 */
final class LoopWorkers {
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";

    private LoopWorkers() {}

    /**
     * Starts {@code n} workers with the {@code fusion} arguments {@code args} and waits for all.
     *
     * @param out the loop folder (its {@code cells/} is counted before and after)
     * @return the number of cells the workers computed
     * @throws UserException when a worker ended with an error (the others run to their end first)
     */
    static int run(int n, List<String> args, Path out, PrintWriter err)
            throws IOException, InterruptedException {
        int before = finishedCells(out);
        List<String> command = command(args, n, Runtime.getRuntime().availableProcessors());
        List<Process> workers = new ArrayList<>();
        Thread stopWorkers = new Thread(() -> workers.forEach(Process::destroy), "stop workers");
        Runtime.getRuntime().addShutdownHook(stopWorkers);
        try {
            for (int w = 0; w < n; w++) {
                workers.add(new ProcessBuilder(command).inheritIO().start());
            }
            String failed = null;
            for (Process p : workers) {
                int code = p.waitFor();
                if (code != 0 && failed == null) {
                    failed = "worker pid " + p.pid() + " ended with exit code " + code;
                }
            }
            if (failed != null) {
                throw new UserException(
                        "fusion loop --workers: "
                                + failed
                                + " (its message is above); the cells finished are kept, run the"
                                + " same command to resume");
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopWorkers);
        }
        err.flush();
        return finishedCells(out) - before;
    }

    /**
     * The command line of a worker: this JVM's executable, options, {@code ai.djl.*} and {@code
     * fusion.*} system properties and class path, then the main class and {@code args}; with {@code
     * -Dai.djl.pytorch.num_threads=max(1, cores / n)} unless the threads are set already.
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
        // the engine's and this program's settings, also where they were set in-process
        for (String key : System.getProperties().stringPropertyNames()) {
            String option = "-D" + key + "=";
            if ((key.startsWith("ai.djl.") || key.startsWith("fusion."))
                    && jvmOptions.stream().noneMatch(o -> o.startsWith(option))) {
                cmd.add(option + System.getProperty(key));
            }
        }
        boolean threadsSet =
                System.getenv("OMP_NUM_THREADS") != null
                        || System.getProperty(THREADS_PROPERTY) != null;
        if (!threadsSet) {
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
