package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StatisticsTest {
    @Test
    void studentQuantilesMatchTheirClosedForms() {
        // df = 1 (Cauchy): tan(pi (p - 1/2)); df = 2: (2p - 1) / sqrt(2 p (1 - p))
        for (double p : new double[] {0.6, 0.9, 0.975, 0.995}) {
            assertEquals(
                    Math.tan(Math.PI * (p - 0.5)), Statistics.studentTQuantile(p, 1), 1e-9, "" + p);
            assertEquals(
                    (2 * p - 1) / Math.sqrt(2 * p * (1 - p)),
                    Statistics.studentTQuantile(p, 2),
                    1e-9,
                    "" + p);
        }
        assertEquals(12.706204736, Statistics.studentTQuantile(0.975, 1), 1e-8);
        assertEquals(-4.302652730, Statistics.studentTQuantile(0.025, 2), 1e-8);
        // scipy.stats.t.ppf(0.975, 9) and a large df tending to the normal 1.959964
        assertEquals(2.262157163, Statistics.studentTQuantile(0.975, 9), 1e-8);
        assertEquals(1.959964, Statistics.studentTQuantile(0.975, 1_000_000), 1e-5);
    }

    @Test
    void theIntervalOfASmallSampleIsItsClosedForm() {
        // 1, 2, 3: mean 2, s = 1, half-width t(0.975, 2) / sqrt(3) = 4.302653 / 1.732051 = 2.484138
        Statistics.MeanInterval ci = Statistics.MeanInterval.of(new double[] {1, 2, 3});
        assertEquals(2, ci.mean(), 1e-15);
        assertEquals(4.302652729911275 / Math.sqrt(3), ci.halfWidth(), 1e-9);
        assertEquals(3, ci.n());
        assertTrue(Double.isNaN(Statistics.MeanInterval.of(new double[] {5}).halfWidth()));
        assertEquals(0, Statistics.MeanInterval.of(new double[] {4, 4, 4}).halfWidth());
    }

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        double[] v = {7, 1, 3, 5}; // sorted 1 3 5 7
        assertEquals(1, Statistics.quantile(v, 0), 0);
        assertEquals(7, Statistics.quantile(v, 1), 0);
        assertEquals(4, Statistics.quantile(v, 0.5), 1e-15); // position 1.5
        assertEquals(1.6, Statistics.quantile(v, 0.1), 1e-12); // position 0.3: 1 + 0.3 * 2
    }

    @Test
    void spearmanOnHandMadeRanks() {
        // monotone -> 1 and -1, whatever the scale
        assertEquals(
                1,
                Statistics.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 10, 100, 1e3}),
                1e-15);
        assertEquals(
                -1,
                Statistics.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1}),
                1e-15);
        // ranks x 1 2 3 4 5, y 2 1 4 3 5: sum d^2 = 4, rho = 1 - 6 * 4 / (5 * 24) = 0.8
        assertEquals(
                0.8,
                Statistics.spearman(
                        new double[] {1, 2, 3, 4, 5}, new double[] {20, 10, 40, 30, 50}),
                1e-12);
        // ties share their mean rank: y = 1, 1, 2 -> ranks 1.5, 1.5, 3
        assertArrayEquals(new double[] {1.5, 1.5, 3}, Statistics.ranks(new double[] {1, 1, 2}), 0);
        // x ranks 1 2 3, y ranks 1.5 1.5 3: Pearson = 1.5 / sqrt(2 * 1.5) = 0.866025
        assertEquals(
                Math.sqrt(3) / 2,
                Statistics.spearman(new double[] {1, 2, 3}, new double[] {1, 1, 2}),
                1e-12);
        assertTrue(Double.isNaN(Statistics.spearman(new double[] {1, 2}, new double[] {3, 3})));
    }

    @Test
    void holmAdjustsTheTextbookExampleAsRDoes() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02: sorted 0.005, 0.01,
        // 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04, the last raised to 0.06
        assertArrayEquals(
                new double[] {0.03, 0.06, 0.06, 0.02},
                Statistics.holm(new double[] {0.01, 0.04, 0.03, 0.005}),
                1e-15);
        // a NaN stays NaN and does not count in m (m = 2 here): 2 * 0.2, then 0.7
        assertArrayEquals(
                new double[] {0.7, Double.NaN, 0.4},
                Statistics.holm(new double[] {0.7, Double.NaN, 0.2}),
                1e-15);
        // capped at 1: 2 * 0.6 = 1.2 -> 1, and 0.7 raised to the 1 before it
        assertArrayEquals(new double[] {1, 1}, Statistics.holm(new double[] {0.7, 0.6}), 1e-15);
        assertArrayEquals(new double[] {0.5}, Statistics.holm(new double[] {0.5}), 0);
        assertEquals(0, Statistics.holm(new double[0]).length);
    }

    @Test
    void withinProbabilitiesMatchTheirClosedForms() {
        // erf(k / sqrt 2): 68.27 %, 95.45 %, 99.73 %
        assertEquals(0, Statistics.normalWithin(0), 0);
        assertEquals(0.6826894921370859, Statistics.normalWithin(1), 1e-14);
        assertEquals(0.9544997361036416, Statistics.normalWithin(2), 1e-14);
        assertEquals(0.9973002039367398, Statistics.normalWithin(3), 1e-14);
        assertEquals(0.9500042097035591, Statistics.normalWithin(1.96), 1e-14);
        // Student t, df = 1: (2 / pi) atan t; df = 2: t / sqrt(2 + t^2)
        for (double t : new double[] {0.3, 1, 2.5, 10}) {
            assertEquals(2 / Math.PI * Math.atan(t), Statistics.studentTWithin(t, 1), 1e-12);
            assertEquals(t / Math.sqrt(2 + t * t), Statistics.studentTWithin(t, 2), 1e-12);
        }
        // and the quantile is its inverse: P(|T_9| <= t(0.975, 9)) = 0.95
        assertEquals(0.95, Statistics.studentTWithin(2.262157162798205, 9), 1e-12);
    }
}
