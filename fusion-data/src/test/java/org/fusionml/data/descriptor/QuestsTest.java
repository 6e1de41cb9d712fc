package org.fusionml.data.descriptor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

/** QUESTS descriptors and kernel entropies: hand-computed values, closed forms and invariances. */
class QuestsTest {
    private static final Quests Q = Quests.defaults();
    private static final double W2 = 0.84 * 0.84; // w(2 A) with r_c = 5: (1 - 0.16)^2

    @Test
    void dimerHasOneNeighbourAndNoCrossTerms() {
        // 2 A apart in a 20 A box: the periodic images are 18 A away, outside the 5 A cutoff.
        double[][] x = Q.compute(box(new double[][] {{0, 0, 0}, {0.1, 0, 0}}));
        for (double[] row : x) {
            assertEquals(63, row.length);
            assertEquals(W2 / 2, row[0], 1e-15);
            for (int c = 1; c < 63; c++) {
                assertEquals(0, row[c], 0, "column " + c);
            }
        }
    }

    @Test
    void equilateralTriangleHasOneCrossTerm() {
        double h = Math.sqrt(3) / 2 * 0.1;
        double[][] x = Q.compute(box(new double[][] {{0, 0, 0}, {0.1, 0, 0}, {0.05, h, 0}}));
        for (double[] row : x) {
            assertEquals(W2 / 2, row[0], 1e-15);
            assertEquals(W2 / 2, row[1], 1e-15);
            // R_12 = sqrt(w w) / 2 sits in the last sorted column of two rows: mean 2 (w / 2) / k.
            assertEquals(2 * (W2 / 2) / 32, row[32], 1e-15);
            for (int c = 2; c < 63; c++) {
                if (c != 32) {
                    assertEquals(0, row[c], 0, "column " + c);
                }
            }
        }
    }

    @Test
    void descriptorsAreInvariantUnderRotationTranslationPermutationAndSupercell() {
        CrystalDataset data = DatasetLoader.embeddedDefault();
        Structure s = data.get(57).structure();
        double[][] ref = Q.compute(s);
        double c = Math.cos(0.9);
        double si = Math.sin(0.9);
        double[][] rot = {{c, -si, 0}, {si * 0.6, c * 0.6, 0.8}, {-si * 0.8, -c * 0.8, 0.6}};
        double[][] moved = Q.compute(s.transformed(rot, new double[] {0.3, -7.1, 2.2}));
        for (int i = 0; i < ref.length; i++) {
            assertArrayEquals(ref[i], moved[i], 1e-12);
        }
        int n = s.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (i * 5 + 3) % n;
        }
        assertTrue(n % 5 != 0, "the test permutation needs n coprime to 5");
        double[][] permuted = Q.compute(s.permuted(order));
        for (int i = 0; i < n; i++) {
            assertArrayEquals(ref[order[i]], permuted[i], 1e-12);
        }
        // A 2 x 2 x 1 supercell repeats every environment four times.
        double[][] big = Q.compute(s.supercell(2, 2, 1));
        assertEquals(4 * n, big.length);
        List<double[]> sorted = new ArrayList<>(List.of(ref));
        for (double[] row : big) {
            boolean found = sorted.stream().anyMatch(r -> maxDiff(r, row) < 1e-12);
            assertTrue(found, "a supercell environment matches no unit-cell environment");
        }
        assertTrue(
                maxDiff(ref[0], ref[n - 1]) > 1e-3,
                "the test structure needs distinct environments");
    }

    @Test
    void entropyOfIdenticalPointsIsZeroAndOfTwoFarClustersIsLn2() {
        KernelEntropy k = new KernelEntropy(0.015, 2);
        int n = 600; // more than two tiles
        double[][] same = new double[n][];
        double[][] two = new double[n][];
        for (int i = 0; i < n; i++) {
            same[i] = new double[] {0.3, 0.1, 0.2};
            two[i] = i % 2 == 0 ? new double[] {0.3, 0.1, 0.2} : new double[] {1.3, 0.1, 0.2};
        }
        assertEquals(0, k.entropy(same), 1e-12);
        assertEquals(0, k.diversity(same), 1e-12);
        assertEquals(Math.log(2), k.entropy(two), 1e-12);
        assertEquals(Math.log(2), k.diversity(two), 1e-12);
        double[] dh =
                k.deltaEntropy(
                        new double[][] {{0.3, 0.1, 0.2}, {0.3, 0.1, 0.2 + 0.015}, {5, 5, 5}}, two);
        assertEquals(-Math.log(n / 2.0), dh[0], 1e-12);
        assertEquals(-Math.log(n / 2.0 * Math.exp(-0.5)), dh[1], 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, dh[2]);
    }

    @Test
    void kernelSumsEqualBruteForceForAnyThreadCount() {
        SplittableRandom r = new SplittableRandom(7);
        double[][] x = new double[700][9];
        for (double[] row : x) {
            for (int c = 0; c < row.length; c++) {
                row[c] = r.nextDouble() * 0.05;
            }
        }
        double[][] y = Arrays.copyOf(x, 300);
        double[] one = new KernelEntropy(0.015, 1).kernelSum(y, x);
        double[] two = new KernelEntropy(0.015, 2).kernelSum(y, x);
        assertArrayEquals(one, two, 0);
        for (int i = 0; i < y.length; i += 37) {
            double s = 0;
            for (double[] xj : x) {
                double d2 = 0;
                for (int c = 0; c < 9; c++) {
                    d2 += (y[i][c] - xj[c]) * (y[i][c] - xj[c]);
                }
                s += Math.exp(-d2 / (2 * 0.015 * 0.015));
            }
            assertEquals(s, one[i], 1e-12 * s);
        }
    }

    private static Structure box(double[][] frac) {
        List<Site> sites = new ArrayList<>();
        for (double[] f : frac) {
            sites.add(new Site(Element.of("Si"), f));
        }
        return new Structure(Lattice.cubic(20), sites);
    }

    private static double maxDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
