package org.fusionml.train.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar with an ETA on a terminal, or a plain log line every 10 % when the output is not
 * a terminal (logs, CI). Thread-safe; {@link #update} may be called from worker threads.
 */
final class Progress {
  private final String label;
  private final int total;
  private final PrintWriter err;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private int lastDecile = -1;
  private long lastDraw;

  /** @param err where the bar goes (a null writer under {@code --quiet}) */
  Progress(String label, int total, PrintWriter err) {
    this.label = label;
    this.total = total;
    this.err = err;
    this.terminal = System.console() != null;
  }

  synchronized void update(int done) {
    if (err == null || total == 0) {
      return;
    }
    double elapsed = (System.nanoTime() - start) * 1e-9;
    double eta = done == 0 ? Double.NaN : elapsed * (total - done) / done;
    if (terminal) {
      long now = System.nanoTime();
      if (done < total && now - lastDraw < 100_000_000L) {
        return;
      }
      lastDraw = now;
      int width = 30;
      int filled = (int) ((long) width * done / total);
      err.printf(Locale.ROOT, "\r%s [%s%s] %d/%d %s ETA %s", label, "#".repeat(filled), " ".repeat(width - filled),
          done, total, time(elapsed), time(eta));
      if (done == total) {
        err.println();
      }
      err.flush();
    } else {
      int decile = (int) (10L * done / total);
      if (decile > lastDecile) {
        lastDecile = decile;
        err.printf(Locale.ROOT, "%s: %d/%d (%d%%) elapsed %s ETA %s%n", label, done, total, 100L * done / total, time(elapsed), time(eta));
        err.flush();
      }
    }
  }

  private static String time(double seconds) {
    if (Double.isNaN(seconds)) {
      return "--:--";
    }
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%02d:%02d", s / 60, s % 60);
  }
}
