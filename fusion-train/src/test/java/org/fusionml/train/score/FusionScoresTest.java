package org.fusionml.train.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.fusionml.train.prune.PruningOptimizer;
import org.junit.jupiter.api.Test;

class FusionScoresTest {
    @Test
    void equationsThreeFiveSixOnHandComputedValues() {
        // nu 2, alpha 3, beta 4: aleatoric 4 / 2 = 2, epistemic 4 / (2 * 2) = 1.
        assertEquals(1 / (1 + Math.exp(2)), Scores.uncertainty(2, 3, 4, 0), 1e-15); // sigmoid(-2)
        assertEquals(
                1 / (1 + Math.exp(1.5)),
                Scores.uncertainty(2, 3, 4, 0.5),
                1e-15); // sigmoid(-2 + 0.5)
        // the reference code's beta / alpha: 4 / 3, epistemic 4 / (3 * 2)
        assertEquals(
                1 / (1 + Math.exp(4.0 / 3 - 0.5 * 4.0 / 6)),
                Scores.uncertainty(2, 3, 4, 0.5, 0),
                1e-15);
        assertEquals(Math.exp(-0.3), Scores.weightingFactor(0.1, 3), 1e-15);
        assertEquals(0.2 / Math.exp(-0.3), Scores.influence(0.2, Math.exp(-0.3)), 1e-15);
        assertEquals(1.0, Scores.weightingFactor(0, 10), 0);
    }

    /**
     * A structure whose expected variance beta / (alpha - 1) exceeds ~745 gets U = sigmoid(-745...)
     * = 0 in double precision, so I = 0: such scores are valid input to Eq. 7, removed first at no
     * cost (a 3-epoch surrogate on jdft2d gave alpha 1.0023, beta 5.20: expected variance 2,277).
     */
    @Test
    void anUnderflowedUncertaintyGivesAZeroInfluenceThatIsRemovedFirst() {
        double u = Scores.uncertainty(0.019993, 1.0022835, 5.1995473, 0);
        assertEquals(0.0, u, 0, "sigmoid(-2277) underflows");
        assertTrue(Scores.uncertainty(1, 1 + 1 / 700.0, 1, 0) > 0, "sigmoid(-700) does not");
        double[] inf = {0.7, Scores.influence(u, 0.58), 0.3, 0.9};
        assertArrayEquals(new int[] {1}, PruningOptimizer.removeForRatio(inf, 0.25));
        assertEquals(0.0, PruningOptimizer.epsilonForRatio(inf, 0.25), 0);
        assertArrayEquals(new int[] {1, 2}, PruningOptimizer.removeForRatio(inf, 0.5));
        assertEquals(0.3 / 4, PruningOptimizer.epsilonForRatio(inf, 0.5), 1e-15);
        assertEquals(0.25, PruningOptimizer.ratioForEpsilon(inf, 0.0), 0);
        assertThrows(
                IllegalArgumentException.class,
                () -> PruningOptimizer.removeForRatio(new double[] {0.5, -1e-300}, 0.5));
        // the annealer comes within one structure of the optimum with zeros among the
        // influences (a zero once made its penalty infinite and every move NaN: nothing removed)
        double[] many = new double[200];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < many.length; i++) {
            many[i] = i % 10 == 0 ? 0 : rng.nextDouble(0.01, 1);
        }
        double eps = PruningOptimizer.epsilonForRatio(many, 0.3);
        int exact = PruningOptimizer.removeForEpsilon(many, eps).length;
        int[] annealed = PruningOptimizer.anneal(many, eps, 200_000, 1.0, 1e-3, 7);
        assertTrue(annealed.length >= exact - 1, annealed.length + " of " + exact);
        double load = 0;
        for (int i : annealed) {
            load += many[i];
        }
        assertTrue(load / many.length <= eps + 1e-12);
    }

    @Test
    void greedyIsTheExactOptimumAgainstBruteForce() {
        SplittableRandom rng = new SplittableRandom(1);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(14);
            double[] inf = new double[n];
            for (int i = 0; i < n; i++) {
                int kind = rng.nextInt(6);
                // some ties, some zeros (Eq. 3 underflowed)
                inf[i] = kind < 2 ? 0.5 : kind == 2 ? 0 : rng.nextDouble(0.01, 3);
            }
            double eps = rng.nextDouble(0, 1.5);
            int best = 0;
            for (int mask = 0; mask < 1 << n; mask++) {
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    if ((mask >> i & 1) == 1) {
                        sum += inf[i];
                    }
                }
                if (sum / n <= eps) {
                    best = Math.max(best, Integer.bitCount(mask));
                }
            }
            int[] chosen = PruningOptimizer.removeForEpsilon(inf, eps);
            assertEquals(best, chosen.length, "trial " + trial);
            double load = 0;
            for (int i : chosen) {
                load += inf[i];
            }
            assertTrue(load / n <= eps);
        }
    }

    @Test
    void epsilonAndRatioRoundTrip() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] inf = new double[1000];
        for (int i = 0; i < inf.length; i++) {
            inf[i] = rng.nextDouble(0.1, 2);
        }
        for (double r : new double[] {0, 0.005, 0.2, 0.4, 0.6, 0.8, 1.0}) {
            double eps = PruningOptimizer.epsilonForRatio(inf, r);
            assertEquals(
                    Math.floor(r * 1000 + 1e-9) / 1000,
                    PruningOptimizer.ratioForEpsilon(inf, eps),
                    0,
                    "ratio " + r);
            assertArrayEquals(
                    PruningOptimizer.removeForRatio(inf, r),
                    PruningOptimizer.removeForEpsilon(inf, eps));
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> PruningOptimizer.removeForRatio(new double[] {1, -1}, 0.5));
    }

    @Test
    void annealingReaches99PercentOfTheExactObjective() {
        SplittableRandom rng = new SplittableRandom(3);
        double[] inf = new double[5000];
        for (int i = 0; i < inf.length; i++) {
            inf[i] =
                    Scores.influence(rng.nextDouble(0.05, 0.95), Math.exp(-rng.nextDouble(0, 0.5)));
        }
        double eps = PruningOptimizer.epsilonForRatio(inf, 0.4);
        int exact = PruningOptimizer.removeForEpsilon(inf, eps).length;
        int[] sa = PruningOptimizer.anneal(inf, eps, 20_000_000, 1.0, 0.001, 7);
        double load = 0;
        for (int i : sa) {
            load += inf[i];
        }
        assertTrue(load / inf.length <= eps, "annealing result is feasible");
        assertTrue(sa.length >= 0.99 * exact, "annealing " + sa.length + " vs exact " + exact);
    }
}
