package org.fusionml.train.trainer;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar with an ETA, redrawn in place when the output is a terminal. Off a terminal (logs,
 * CI, SLURM output files) it either prints a plain line every 10 % ({@code deciles}) or nothing,
 * for callers that log their own lines (an epoch's batches: the trainer prints one line per epoch).
 * Thread-safe; {@link #update} may be called from worker threads.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final String label;
    private final int total;
    private final PrintWriter out;
    private final boolean terminal;
    private final boolean deciles;
    private final long start = System.nanoTime();
    private int done;
    private int lastDecile = -1;
    private long lastDraw;
    private boolean drawn;

    /**
     * @param label what is counted ("fingerprints", "cells", "epoch 3/100")
     * @param total units of work
     * @param out where the bar goes (a null writer under {@code --quiet})
     * @param deciles whether to print a line every 10 % when the output is not a terminal
     */
    public Progress(String label, int total, PrintWriter out, boolean deciles) {
        this(label, total, out, deciles, System.console() != null);
    }

    Progress(String label, int total, PrintWriter out, boolean deciles, boolean terminal) {
        this.label = label;
        this.total = total;
        this.out = out;
        this.deciles = deciles;
        this.terminal = terminal;
    }

    /** A bar with a line every 10 % off a terminal. */
    public Progress(String label, int total, PrintWriter out) {
        this(label, total, out, true);
    }

    /** Records that {@code done} of {@code total} units are finished. */
    public synchronized void update(int done) {
        this.done = done;
        if (out == null || total == 0) {
            return;
        }
        if (terminal) {
            long now = System.nanoTime();
            if (done < total && drawn && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            draw();
            if (done == total) {
                out.println();
                drawn = false;
            }
            out.flush();
        } else if (deciles) {
            int decile = (int) (10L * done / total);
            if (decile > lastDecile) {
                lastDecile = decile;
                double elapsed = elapsed();
                out.printf(
                        Locale.ROOT,
                        "%s: %d/%d (%d%%) elapsed %s ETA %s%n",
                        label,
                        done,
                        total,
                        100L * done / total,
                        time(elapsed),
                        time(eta(elapsed)));
                out.flush();
            }
        }
    }

    /** Prints a log line above the bar (clearing and redrawing it on a terminal). */
    public synchronized void println(String line) {
        if (out == null) {
            return;
        }
        if (terminal && drawn) {
            out.print("\r\033[K");
            out.println(line);
            draw();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void draw() {
        double elapsed = elapsed();
        int filled = (int) ((long) WIDTH * done / total);
        out.printf(
                Locale.ROOT,
                "\r%s [%s%s] %d/%d %s ETA %s",
                label,
                "#".repeat(filled),
                " ".repeat(WIDTH - filled),
                done,
                total,
                time(elapsed),
                time(eta(elapsed)));
        drawn = true;
    }

    private double elapsed() {
        return (System.nanoTime() - start) * 1e-9;
    }

    private double eta(double elapsed) {
        return done == 0 ? Double.NaN : elapsed * (total - done) / done;
    }

    static String time(double seconds) {
        if (Double.isNaN(seconds)) {
            return "--:--";
        }
        long s = Math.round(seconds);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
    }
}
