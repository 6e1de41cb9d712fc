package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PairedTTestTest {
    @Test
    void criticalValuesOfStudentsTGiveTheirP() {
        // (t, df, two-sided p) with p from scipy.stats.t.sf(t, df) * 2 (scipy 1.10).
        double[][] table = {
            {2.776445, 4, 0.05000000538209156},
            {4.604095, 4, 0.009999999031233244},
            {8.610302, 4, 0.0009999998138401547},
            {2.228139, 10, 0.04999998745288255},
            {12.706205, 1, 0.04999999896608902},
            {1.959964, 100000, 0.05000277115464359}
        };
        for (double[] row : table) {
            int df = (int) row[1];
            double p = PairedTTest.regularizedBeta(df / (df + row[0] * row[0]), df / 2.0, 0.5);
            assertEquals(row[2], p, 1e-8 * row[2], "t=" + row[0] + " df=" + df);
        }
    }

    @Test
    void pairedTestOnHandComputedDifferences() {
        // d = a - b = (1, 2, 3, 4, 5): mean 3, sd sqrt(2.5), t = 3 / sqrt(2.5 / 5) = 4.2426, df 4.
        double[] a = {11, 12, 13, 14, 15};
        double[] b = {10, 10, 10, 10, 10};
        PairedTTest r = PairedTTest.of(a, b);
        assertEquals(3 / Math.sqrt(0.5), r.t(), 1e-12);
        assertEquals(4, r.degreesOfFreedom());
        assertEquals(3, r.meanDifference(), 1e-12);
        assertEquals(0.013235599563682695, r.p(), 1e-12); // scipy.stats.ttest_rel
        assertEquals(r.p(), PairedTTest.of(b, a).p(), 1e-15);
        assertEquals(1, PairedTTest.of(a, a).p());
        assertEquals(0, PairedTTest.of(a, new double[] {10, 11, 12, 13, 14}).p());
    }

    @Test
    void logGammaMatchesFactorials() {
        assertEquals(Math.log(24), PairedTTest.logGamma(5), 1e-13);
        assertEquals(0.5 * Math.log(Math.PI), PairedTTest.logGamma(0.5), 1e-13);
    }
}
