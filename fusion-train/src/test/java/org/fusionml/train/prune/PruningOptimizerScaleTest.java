package org.fusionml.train.prune;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Eq. 7 and the ratio/epsilon conversion at 10^6 influences, against closed forms. */
class PruningOptimizerScaleTest {
    private static final int N = 1_000_000;

    /** I = 1, 2, ..., n in a seeded random order: S_k = k (k + 1) / 2 exactly in doubles. */
    private static double[] permutedIntegers(int n, long seed) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = i + 1;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return v;
    }

    @Test
    void closedFormsAtAMillion() {
        double[] inf = permutedIntegers(N, 1);
        long start = System.nanoTime();
        int[] order = PruningOptimizer.ascending(inf);
        for (int k = 0; k < N; k++) {
            assertEquals(k + 1, inf[order[k]]);
        }
        for (double r : new double[] {0.0, 0.2, 0.4, 0.6, 0.8, 1.0}) {
            int k = (int) Math.floor(r * N + 1e-9);
            double eps = PruningOptimizer.epsilonForRatio(inf, r);
            assertEquals((double) k * (k + 1) / 2 / N, eps, 0, "epsilon(" + r + ")");
            int[] removed = PruningOptimizer.removeForEpsilon(inf, eps);
            assertEquals(k, removed.length, "k*(epsilon(" + r + "))");
            for (int i : removed) {
                assertTrue(inf[i] <= k, "only the k smallest");
            }
            assertEquals(k / (double) N, PruningOptimizer.ratioForEpsilon(inf, eps), 0);
            assertArrayEquals(removed, PruningOptimizer.removeForRatio(inf, r));
        }
        // k*(epsilon) = max{k : k (k + 1) / 2 <= n epsilon} for epsilon between the steps
        for (double eps : new double[] {0.5, 1234.567, 99_999.9, 400_000.25}) {
            long k = (long) Math.floor((Math.sqrt(8 * N * eps + 1) - 1) / 2);
            while (k * (k + 1) / 2 > N * eps) {
                k--;
            }
            while ((k + 1) * (k + 2) / 2 <= N * eps) {
                k++;
            }
            assertEquals(k, PruningOptimizer.removeForEpsilon(inf, eps).length, "eps " + eps);
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertTrue(seconds < 30, "13 sorts of 10^6 influences took " + seconds + " s");
    }

    @Test
    void epsilonOfARatioRemovesExactlyThatRatio() {
        // Random influences: epsilon(r) = S_k / n must give back k = floor(r n) at every r.
        SplittableRandom rng = new SplittableRandom(2);
        double[] inf = new double[N];
        for (int i = 0; i < N; i++) {
            inf[i] = rng.nextDouble(0.01, 3);
        }
        int[] order = PruningOptimizer.ascending(inf);
        double sum = 0;
        int k = 0;
        for (int step = 1; step <= 99; step++) {
            int target = (int) Math.floor(step / 100.0 * N + 1e-9);
            while (k < target) {
                sum += inf[order[k++]];
            }
            double eps = sum / N; // epsilon(r) as epsilonForRatio computes it
            assertEquals(eps, PruningOptimizer.epsilonForRatio(inf, step / 100.0), 0);
            assertEquals(target, PruningOptimizer.removeForEpsilon(inf, eps).length, "r " + step);
        }
    }

    @Test
    void tiesGoToTheSmallerIndexAtScale() {
        double[] inf = new double[N];
        for (int i = 0; i < N; i++) {
            inf[i] = 1 + (i * 7919L) % 1000; // every value 1000 times
        }
        int[] order = PruningOptimizer.ascending(inf);
        for (int k = 1; k < N; k++) {
            int a = order[k - 1];
            int b = order[k];
            assertTrue(inf[a] < inf[b] || (inf[a] == inf[b] && a < b), "position " + k);
        }
    }

    @Test
    void annealingAtAMillionIsLinearAndFeasible() {
        // Equal influences: every feasible set of the same size is optimal, k* = floor(n eps).
        double[] inf = new double[N];
        Arrays.fill(inf, 1.0);
        double eps = 0.3;
        long start = System.nanoTime();
        int[] sa = PruningOptimizer.anneal(inf, eps, 4L * N, 1.0, 1e-3, 3);
        double seconds = (System.nanoTime() - start) * 1e-9;
        assertTrue(sa.length <= 0.3 * N, "feasible: " + sa.length);
        assertTrue(sa.length >= 0.25 * N, "close to k* = 300000: " + sa.length);
        for (int k = 1; k < sa.length; k++) {
            assertTrue(sa[k] > sa[k - 1], "sorted distinct indices");
        }
        assertTrue(seconds < 60, "4 x 10^6 steps took " + seconds + " s");
    }
}
