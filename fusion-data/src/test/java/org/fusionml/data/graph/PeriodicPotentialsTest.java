package org.fusionml.data.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.fusionml.data.structure.Lattice;
import org.junit.jupiter.api.Test;

/**
 * The lattice sums against closed forms and brute force: erfc at tabulated values, the Madelung
 * constant of rock salt from both its cubic and its primitive cell, and the London and Pauli sums
 * of a triclinic cell against direct sums over a large sphere of translations.
 */
class PeriodicPotentialsTest {
    private static final double MADELUNG_NACL = 1.747564594633182;

    private static final Lattice TRICLINIC =
            Lattice.of(new double[][] {{3.1, 0.2, -0.1}, {0.7, 2.9, 0.3}, {-0.4, 0.5, 3.6}});

    @Test
    void erfcMatchesTable() {
        // values of Python's math.erfc
        double[][] table = {
            {0, 1},
            {0.5, 0.4795001221869535},
            {1, 0.15729920705028513},
            {1.49, 0.03510213515679579},
            {1.51, 0.03272325187128836},
            {2, 0.004677734981047266},
            {3, 2.209049699858544e-05},
            {5, 1.5374597944280349e-12},
            {-1, 1.8427007929497148},
        };
        for (double[] row : table) {
            assertEquals(row[1], PeriodicPotentials.erfc(row[0]), 1e-14 * row[1], "x=" + row[0]);
        }
    }

    @Test
    void rockSaltMadelungConstantFromCubicCell() {
        // conventional cell a = 2: nearest neighbours at 1; Na+ on the fcc sites, Cl- shifted
        double[][] fcc = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
        Lattice cubic = Lattice.cubic(2);
        double[][] frac = new double[8][];
        double[] q = new double[8];
        for (int i = 0; i < 4; i++) {
            frac[i] = fcc[i];
            frac[4 + i] = new double[] {fcc[i][0] + 0.5, fcc[i][1], fcc[i][2]};
            q[i] = 1;
            q[4 + i] = -1;
        }
        assertEquals(MADELUNG_NACL, madelung(cubic, frac, q, 0), 1e-12);
        assertEquals(MADELUNG_NACL, madelung(cubic, frac, q, 5), 1e-12);
    }

    @Test
    void rockSaltMadelungConstantFromPrimitiveCell() {
        Lattice primitive = Lattice.of(new double[][] {{0, 1, 1}, {1, 0, 1}, {1, 1, 0}});
        double[][] frac = {{0, 0, 0}, {0.5, 0.5, 0.5}};
        double[] q = {1, -1};
        assertEquals(MADELUNG_NACL, madelung(primitive, frac, q, 0), 1e-12);
        assertEquals(MADELUNG_NACL, madelung(primitive, frac, q, 1), 1e-12);
    }

    /** -q_i d_nn sum_j q_j coulomb(r_j - r_i) with d_nn = 1. */
    private static double madelung(Lattice l, double[][] frac, double[] q, int i) {
        PeriodicPotentials p = new PeriodicPotentials(l);
        double[] ri = l.toCartesian(frac[i]);
        double phi = 0;
        for (int j = 0; j < frac.length; j++) {
            double[] rj = l.toCartesian(frac[j]);
            phi += q[j] * p.coulomb(new double[] {rj[0] - ri[0], rj[1] - ri[1], rj[2] - ri[2]});
        }
        return -q[i] * phi;
    }

    @Test
    void londonMatchesDirectSum() {
        PeriodicPotentials p = new PeriodicPotentials(TRICLINIC);
        double radius = 250;
        // beyond the radius the lattice is a uniform density 1 / V: 4 pi / (3 V R^3)
        double tail = 4 * Math.PI / (3 * TRICLINIC.volume() * radius * radius * radius);
        for (double[] d : vectors()) {
            double[] direct = {0};
            p.forEachImage(
                    d,
                    radius,
                    r -> {
                        if (r >= PeriodicPotentials.SAME_POINT) {
                            direct[0] += 1 / Math.pow(r, 6);
                        }
                    });
            double expected = direct[0] + tail;
            assertEquals(expected, p.london(d), 1e-8 * expected);
        }
    }

    @Test
    void pauliMatchesDirectSum() {
        PeriodicPotentials p = new PeriodicPotentials(TRICLINIC);
        for (double[] d : vectors()) {
            double[] direct = {0};
            p.forEachImage(
                    d,
                    40,
                    r -> {
                        if (r >= PeriodicPotentials.SAME_POINT) {
                            direct[0] += Math.exp(-PeriodicPotentials.PAULI_ALPHA * r);
                        }
                    });
            assertEquals(direct[0], p.pauli(d), 1e-13 * direct[0]);
        }
    }

    @Test
    void sumsDoNotDependOnTheImageNorOnTheSplitting() {
        PeriodicPotentials p = new PeriodicPotentials(TRICLINIC);
        double[] d = {0.9, -1.3, 0.4};
        double[] shifted = d.clone();
        for (int k = 0; k < 3; k++) {
            shifted[k] += 2 * TRICLINIC.get(0, k) - 3 * TRICLINIC.get(2, k);
        }
        double[] a = p.all(d);
        double[] b = p.all(shifted);
        for (int k = 0; k < 3; k++) {
            assertEquals(a[k], b[k], 1e-12 * Math.abs(a[k]));
        }
    }

    private static double[][] vectors() {
        return new double[][] {{0, 0, 0}, {1.2, 0.3, -0.8}, {-2.0, 1.7, 2.5}, {0.1, 0.05, 1.9}};
    }
}
