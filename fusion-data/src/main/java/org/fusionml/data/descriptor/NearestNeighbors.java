package org.fusionml.data.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Exact nearest neighbour of every fingerprint: min over j != i of the cosine distance d(x_i, x_j)
 * = 1 - F_i . F_j (FUSION Eq. 5) and that j; for unit-norm fingerprints the Euclidean distance
 * |F_i - F_j| = sqrt(2 - 2 F_i . F_j) has the same nearest neighbour and is reported too.
 *
 * <p>The Gram matrix is never stored whole: rows are processed in tiles, each tile multiplied
 * against every fingerprint block by block (species pair by species pair, four rows at a time),
 * tiles spread over threads. Ties go to the smallest j.
 */
public final class NearestNeighbors {
  private static final int TILE = 256;

  private NearestNeighbors() {}

  /**
   * The result for n fingerprints.
   *
   * @param neighbor [n] index of the nearest other fingerprint (-1 when n = 1)
   * @param cosineDistance [n] 1 - F_i . F_neighbor
   * @param euclideanDistance [n] |F_i - F_neighbor|
   */
  public record Result(int[] neighbor, double[] cosineDistance, double[] euclideanDistance) {}

  /** Finds every nearest neighbour with {@code threads} threads. */
  public static Result search(List<Fingerprint> fingerprints, int threads) {
    int n = fingerprints.size();
    Blocks blocks = new Blocks(fingerprints);
    int[] neighbor = new int[n];
    double[] bestDot = new double[n];
    Arrays.fill(neighbor, -1);
    Arrays.fill(bestDot, Double.NEGATIVE_INFINITY);
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<?>> jobs = new ArrayList<>();
      for (int start = 0; start < n; start += TILE) {
        int from = start;
        int to = Math.min(n, start + TILE);
        jobs.add(pool.submit(() -> tile(blocks, from, to, neighbor, bestDot)));
      }
      for (Future<?> f : jobs) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("nearest-neighbour search interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } finally {
      pool.shutdown();
    }
    double[] cos = new double[n];
    double[] euc = new double[n];
    for (int i = 0; i < n; i++) {
      cos[i] = neighbor[i] < 0 ? Double.NaN : 1 - bestDot[i];
      euc[i] = neighbor[i] < 0 ? Double.NaN : Math.sqrt(Math.max(0, 2 - 2 * bestDot[i]));
    }
    return new Result(neighbor, cos, euc);
  }

  /** Fingerprint blocks regrouped by species pair: one dense row-major matrix per pair. */
  private static final class Blocks {
    final int n;
    final int[] keys;
    final int[] width;
    final double[][] rows; // [pair][members * width]
    final int[][] members; // [pair][row] = fingerprint index
    final int[][] pairsOf; // [fingerprint] -> pair slots
    final int[][] rowOf; // [fingerprint] -> row within the pair

    Blocks(List<Fingerprint> fps) {
      n = fps.size();
      Map<Integer, List<Integer>> byKey = new HashMap<>();
      Map<Integer, Integer> widthByKey = new HashMap<>();
      for (int i = 0; i < n; i++) {
        Fingerprint f = fps.get(i);
        for (int p = 0; p < f.pairKeys().length; p++) {
          byKey.computeIfAbsent(f.pairKeys()[p], k -> new ArrayList<>()).add(i);
          int w = f.offsets()[p + 1] - f.offsets()[p];
          Integer before = widthByKey.put(f.pairKeys()[p], w);
          if (before != null && before != w) {
            throw new IllegalArgumentException("fingerprints were made with different SOAP settings");
          }
        }
      }
      keys = byKey.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
      width = new int[keys.length];
      rows = new double[keys.length][];
      members = new int[keys.length][];
      pairsOf = new int[n][];
      rowOf = new int[n][];
      int[] fill = new int[n];
      for (int i = 0; i < n; i++) {
        pairsOf[i] = new int[fps.get(i).pairKeys().length];
        rowOf[i] = new int[fps.get(i).pairKeys().length];
      }
      for (int p = 0; p < keys.length; p++) {
        List<Integer> m = byKey.get(keys[p]);
        width[p] = widthByKey.get(keys[p]);
        members[p] = m.stream().mapToInt(Integer::intValue).toArray();
        rows[p] = new double[m.size() * width[p]];
        for (int r = 0; r < m.size(); r++) {
          int i = m.get(r);
          Fingerprint f = fps.get(i);
          int slot = Arrays.binarySearch(f.pairKeys(), keys[p]);
          System.arraycopy(f.values(), f.offsets()[slot], rows[p], r * width[p], width[p]);
          pairsOf[i][fill[i]] = p;
          rowOf[i][fill[i]] = r;
          fill[i]++;
        }
      }
    }
  }

  private static void tile(Blocks b, int from, int to, int[] neighbor, double[] bestDot) {
    int t = to - from;
    double[] acc = new double[t * b.n];
    // Group the tile's rows by pair, then multiply each group against all rows of that pair.
    for (int p = 0; p < b.keys.length; p++) {
      int[] local = new int[t];
      int[] localRow = new int[t];
      int count = 0;
      for (int i = from; i < to; i++) {
        for (int s = 0; s < b.pairsOf[i].length; s++) {
          if (b.pairsOf[i][s] == p) {
            local[count] = i - from;
            localRow[count] = b.rowOf[i][s];
            count++;
          }
        }
      }
      if (count > 0) {
        multiply(b, p, local, localRow, count, acc);
      }
    }
    for (int a = 0; a < t; a++) {
      int i = from + a;
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < b.n; j++) {
        if (j != i && acc[a * b.n + j] > bestValue) {
          bestValue = acc[a * b.n + j];
          best = j;
        }
      }
      neighbor[i] = best;
      bestDot[i] = bestValue;
    }
  }

  /** acc[local[q]][members[j]] += A_q . M_j for the tile rows A of pair p and all its rows M. */
  private static void multiply(Blocks b, int p, int[] local, int[] localRow, int count, double[] acc) {
    int w = b.width[p];
    double[] m = b.rows[p];
    int[] members = b.members[p];
    int q = 0;
    for (; q + 4 <= count; q += 4) {
      int a0 = localRow[q] * w;
      int a1 = localRow[q + 1] * w;
      int a2 = localRow[q + 2] * w;
      int a3 = localRow[q + 3] * w;
      for (int j = 0; j < members.length; j++) {
        int mj = j * w;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = 0; k < w; k++) {
          double v = m[mj + k];
          s0 += m[a0 + k] * v;
          s1 += m[a1 + k] * v;
          s2 += m[a2 + k] * v;
          s3 += m[a3 + k] * v;
        }
        int col = members[j];
        acc[local[q] * b.n + col] += s0;
        acc[local[q + 1] * b.n + col] += s1;
        acc[local[q + 2] * b.n + col] += s2;
        acc[local[q + 3] * b.n + col] += s3;
      }
    }
    for (; q < count; q++) {
      int a0 = localRow[q] * w;
      for (int j = 0; j < members.length; j++) {
        int mj = j * w;
        double s0 = 0;
        for (int k = 0; k < w; k++) {
          s0 += m[a0 + k] * m[mj + k];
        }
        acc[local[q] * b.n + members[j]] += s0;
      }
    }
  }
}
