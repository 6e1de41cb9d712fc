package org.fusionml.train.trainer;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps the JVM's exit out of PyTorch's way.
 *
 * <p>A SIGTERM (SLURM's {@code scancel} or time limit, {@code kill}) or Ctrl-C runs the JVM's
 * shutdown and then the native library's exit handlers while the thread that trains may still be
 * inside PyTorch: measured here, 2 of 5 SIGTERMs sent to {@code fusion train} of the small ALIGNN
 * crashed the JVM ({@code SIGSEGV in at::accelerator::getAccelerator} inside the backward pass) and
 * left an {@code hs_err_pid*.log} behind. Work on engine arrays runs in {@linkplain #enter
 * sections} (a training batch, an inference batch); the shutdown hook of {@link #jvm()} waits for
 * the sections in flight to end, at most {@link #DRAIN_LIMIT}, and no section starts or continues
 * after it: a thread that enters or leaves one once the exit has begun parks until the JVM halts.
 * Sections nest: a section entered inside another belongs to it, and only the outermost one counts
 * and parks. What a run has written is kept by the checkpoints (atomic writes); the next run
 * resumes.
 */
public final class EngineGate {
    /**
     * How long the exit waits for the sections in flight: SLURM sends SIGKILL 30 s after SIGTERM by
     * default, and one batch of the documented configurations takes well under a second.
     */
    public static final Duration DRAIN_LIMIT = Duration.ofSeconds(20);

    private static final EngineGate JVM = installed();

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private volatile boolean closing;

    /** A gate with no shutdown hook (tests); {@link #jvm()} is the one the program uses. */
    EngineGate() {}

    /** The gate whose drain runs in the JVM's shutdown. */
    public static EngineGate jvm() {
        return JVM;
    }

    private static EngineGate installed() {
        EngineGate gate = new EngineGate();
        Thread drain =
                new Thread(() -> gate.drainAtExit(System.err), "finish engine work before exit");
        Runtime.getRuntime().addShutdownHook(drain);
        return gate;
    }

    /** A section of engine work; {@link #close} leaves it. */
    public final class Section implements AutoCloseable {
        private boolean open = true;

        private Section() {}

        /** Leaves the section; parks for good when the JVM is exiting. */
        @Override
        public void close() {
            if (!open) {
                return;
            }
            open = false;
            if (--depth.get()[0] > 0) {
                return; // nested: the outer section goes on
            }
            inFlight.decrementAndGet();
            if (closing) {
                parkUntilHalt();
            }
        }
    }

    /** Enters a section of engine work; parks for good when the JVM is exiting. */
    public Section enter() {
        int[] mine = depth.get();
        if (mine[0] > 0) {
            mine[0]++; // nested: part of a section the exit already waits for
            return new Section();
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
        return new Section();
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
        closing = true;
        if (inFlight.get() == 0) {
            return; // a normal exit, or a signal between sections
        }
        err.println("stopping: finishing the batch in progress (the same command resumes the run)");
        if (!drain(DRAIN_LIMIT)) {
            err.println(
                    "stopping: the batch in progress did not finish within "
                            + DRAIN_LIMIT.toSeconds()
                            + " s; exiting anyway");
        }
    }

    private static void parkUntilHalt() {
        while (true) {
            LockSupport.park();
        }
    }
}
