package org.fusionml.train.trainer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the JVM's exit out of PyTorch's way.
 *
 * <p>A SIGTERM (SLURM's {@code scancel} or time limit, {@code kill}) or Ctrl-C runs the JVM's
 * shutdown and then the native library's exit handlers while the thread that trains may still be
 * inside PyTorch: measured here, 2 of 5 SIGTERMs sent to {@code fusion train} of the small ALIGNN
 * crashed the JVM ({@code SIGSEGV in at::accelerator::getAccelerator} inside the backward pass) and
 * left an {@code hs_err_pid*.log} behind. Work on engine arrays runs in short {@linkplain #enter
 * sections} (a training or inference batch, a checkpoint or a model written or read, a trainer
 * initialised); the shutdown hook of {@link #jvm()} waits for the sections in flight to end, at
 * most {@link #DRAIN_LIMIT}, and a thread that enters or leaves an outermost section once the exit
 * has begun parks until the JVM halts. A section entered inside another belongs to it: only the
 * outermost one counts and parks, so sections are kept short (the exit waits for all of an
 * outermost one). Locks ({@link FolderLock}) are released after the drain. What a run has written
 * is kept by the checkpoints (atomic writes); the next run resumes.
 */
public final class EngineGate {
    /**
     * How long the exit waits for the sections in flight: SLURM sends SIGKILL 30 s after SIGTERM by
     * default, and one batch of the documented configurations takes well under a second.
     */
    public static final Duration DRAIN_LIMIT = Duration.ofSeconds(20);

    /** The program's gate, installed with its shutdown hook by the first {@link #jvm()}. */
    private static EngineGate installed;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final CountDownLatch drainedAtExit = new CountDownLatch(1);
    private volatile boolean closing;

    /** A gate with no shutdown hook (tests); {@link #jvm()} is the one the program uses. */
    EngineGate() {}

    /** The gate whose drain runs in the JVM's shutdown. */
    public static synchronized EngineGate jvm() {
        if (installed == null) {
            EngineGate gate = new EngineGate();
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> gate.drainAtExit(System.err),
                                    "finish engine work before exit"));
            installed = gate;
        }
        return installed;
    }

    /**
     * In a shutdown hook: waits until the program's gate has drained (at most {@link #DRAIN_LIMIT}
     * and a second); at once when no engine work ever ran.
     */
    static void awaitDrainAtExit() {
        EngineGate gate;
        synchronized (EngineGate.class) {
            gate = installed;
        }
        if (gate == null) {
            return;
        }
        try {
            gate.drainedAtExit.await(DRAIN_LIMIT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A section of engine work, on the thread that entered it; {@link #close} leaves it. */
    public final class Section implements AutoCloseable {
        private final int[] depthOfItsThread;
        private final boolean nested;
        private boolean open = true;

        private Section(int[] depthOfItsThread, boolean nested) {
            this.depthOfItsThread = depthOfItsThread;
            this.nested = nested;
        }

        /**
         * Leaves the section; an outermost one parks for good when the JVM is exiting. Closed on
         * any thread, it counts for the thread that entered it.
         */
        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            depthOfItsThread[0]--;
            if (nested) {
                return; // the outer section goes on
            }
            inFlight.decrementAndGet();
            if (closing) {
                parkUntilHalt();
            }
        }
    }

    /**
     * Enters a section of engine work; an outermost one parks for good when the JVM is exiting (a
     * nested one goes on: the exit waits for the section it belongs to).
     */
    public Section enter() {
        int[] mine = depth.get();
        if (mine[0] > 0) {
            mine[0]++;
            return new Section(mine, true);
        }
        if (closing) {
            parkUntilHalt();
        }
        inFlight.incrementAndGet();
        // Checked again after counting: either drain() sees this section or this thread sees the
        // exit (both fields are sequentially consistent).
        if (closing) {
            inFlight.decrementAndGet();
            parkUntilHalt();
        }
        mine[0] = 1;
        return new Section(mine, false);
    }

    /** Whether the gate is closed: a drain has begun. */
    boolean closing() {
        return closing;
    }

    /** The outermost sections in flight. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Closes the gate and waits until no section is in flight, at most {@code limit}.
     *
     * @return whether every section ended within the limit
     */
    public boolean drain(Duration limit) {
        closing = true;
        long deadline = System.nanoTime() + limit.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            LockSupport.parkNanos(5_000_000L);
        }
        return true;
    }

    private void drainAtExit(PrintStream err) {
        try {
            closing = true;
            if (inFlight.get() == 0) {
                return; // a normal exit, or a signal between sections
            }
            err.println(
                    "stopping: finishing the batch in progress (the same command resumes the run)");
            if (!drain(DRAIN_LIMIT)) {
                err.println(
                        "stopping: the batch in progress did not finish within "
                                + DRAIN_LIMIT.toSeconds()
                                + " s; exiting anyway");
            }
        } finally {
            drainedAtExit.countDown();
        }
    }

    private static void parkUntilHalt() {
        while (true) {
            LockSupport.park();
        }
    }
}
