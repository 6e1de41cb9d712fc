package org.fusionml.data.graph;

import org.fusionml.data.structure.Lattice;

/**
 * Sums of pair potentials over all lattice translations (PotNet's infinite potential summations,
 * Lin et al., ICML 2023): for the vector d between two atoms of a crystal with lattice L,
 *
 * <pre>
 *   coulomb(d) = sum'_n 1 / |d + n|              (with a neutralising background, see below)
 *   london(d)  = sum'_n 1 / |d + n|^6
 *   pauli(d)   = sum'_n exp(-alpha |d + n|)      alpha = {@value #PAULI_ALPHA} / Angstrom
 * </pre>
 *
 * over the translations n of L, the prime leaving out a term with |d + n| = 0 (an atom with its own
 * copy at n = 0). The sums depend on d only through its class modulo L, so any image of a bond
 * gives the same values.
 *
 * <p>The London and Pauli sums converge absolutely. The London sum is evaluated by Ewald's
 * splitting of 1/r^6 (real-space terms e^{-x^2}(1 + x^2 + x^4 / 2) / r^6 with x = eta r, and the
 * Fourier transform of the rest, which for b = k / (2 eta) is pi^{3/2} eta^3 / (3 V) ((1 - 2 b^2)
 * e^{-b^2} + 2 sqrt(pi) b^3 erfc(b))), the Pauli sum directly to a radius where the terms are below
 * 1e-19 of the nearest. The Coulomb sum diverges; it is taken as the Ewald sum of a unit charge in
 * a uniform neutralising background (erfc(eta r) / r in real space, 4 pi / (V k^2) e^{-k^2 / (4
 * eta^2)} cos(k.d) in reciprocal space, -pi / (eta^2 V) for the background), the value of the
 * analytically continued Epstein zeta function that PotNet's summation approximates; for a neutral
 * set of charges q_j the background terms cancel and sum_j q_j coulomb(r_j - r_i) is the
 * electrostatic potential at atom i (the Madelung sum). Both Ewald sums are cut where their terms
 * fall below about 1e-16 of their first ones, so the values agree with the exact sums to round-off.
 */
public final class PeriodicPotentials {
    /** Decay of the Pauli repulsion exp(-alpha r), 1/Angstrom (PotNet's value). */
    public static final double PAULI_ALPHA = 3.0;

    /** Distances below this, Angstrom, are an atom meeting its own copy: the term is left out. */
    static final double SAME_POINT = 1e-8;

    /** eta R and k / (2 eta) at which the Ewald sums are cut (erfc(6.5) is 4e-20). */
    private static final double EWALD_RANGE = 6.5;

    private final Lattice lattice;
    private final double[][] m;
    private final double[][] reciprocal;
    private final double volume;
    private final double eta;
    private final double[] spacings;
    private final double[] lengths;

    public PeriodicPotentials(Lattice lattice) {
        this.lattice = lattice;
        this.m = lattice.matrix();
        this.reciprocal = lattice.reciprocal();
        this.volume = lattice.volume();
        this.spacings = lattice.planeSpacings();
        this.lengths = lattice.lengths();
        // balances the real-space and reciprocal-space term counts: (6.5 / eta)^3 / V = (13
        // eta)^3 V / (2 pi)^3
        this.eta = Math.pow(31.0, 1.0 / 6) / Math.cbrt(volume);
    }

    /** The Ewald splitting parameter, 1/Angstrom. */
    public double eta() {
        return eta;
    }

    /** coulomb, london and pauli of {@code d} (Angstrom), in that order. */
    public double[] all(double[] d) {
        return new double[] {coulomb(d), london(d), pauli(d)};
    }

    /** sum'_n 1 / |d + n| with a neutralising background (Ewald), 1/Angstrom. */
    public double coulomb(double[] d) {
        double[] w = wrap(d);
        double rc = EWALD_RANGE / eta;
        double[] real = {0};
        boolean[] self = {false};
        forEachImage(
                w,
                rc,
                r -> {
                    if (r < SAME_POINT) {
                        self[0] = true;
                    } else {
                        real[0] += erfc(eta * r) / r;
                    }
                });
        double recip = 0;
        double kc = 2 * eta * EWALD_RANGE;
        int[] mm = reciprocalRange(kc);
        for (int a = -mm[0]; a <= mm[0]; a++) {
            for (int b = -mm[1]; b <= mm[1]; b++) {
                for (int c = -mm[2]; c <= mm[2]; c++) {
                    if (a == 0 && b == 0 && c == 0) {
                        continue;
                    }
                    double[] k = reciprocalVector(a, b, c);
                    double k2 = dot(k, k);
                    if (k2 > kc * kc) {
                        continue;
                    }
                    recip += Math.exp(-k2 / (4 * eta * eta)) / k2 * Math.cos(dot(k, w));
                }
            }
        }
        double sum = real[0] + 4 * Math.PI / volume * recip - Math.PI / (eta * eta * volume);
        if (self[0]) {
            sum -= 2 * eta / Math.sqrt(Math.PI);
        }
        return sum;
    }

    /** sum'_n 1 / |d + n|^6 (Ewald), 1/Angstrom^6. */
    public double london(double[] d) {
        double[] w = wrap(d);
        double rc = EWALD_RANGE / eta;
        double[] real = {0};
        boolean[] self = {false};
        forEachImage(
                w,
                rc,
                r -> {
                    if (r < SAME_POINT) {
                        self[0] = true;
                    } else {
                        double x2 = eta * eta * r * r;
                        double r2 = r * r;
                        real[0] += Math.exp(-x2) * (1 + x2 + x2 * x2 / 2) / (r2 * r2 * r2);
                    }
                });
        double recip = 1; // the k = 0 term
        double kc = 2 * eta * EWALD_RANGE;
        int[] mm = reciprocalRange(kc);
        for (int a = -mm[0]; a <= mm[0]; a++) {
            for (int b = -mm[1]; b <= mm[1]; b++) {
                for (int c = -mm[2]; c <= mm[2]; c++) {
                    if (a == 0 && b == 0 && c == 0) {
                        continue;
                    }
                    double[] k = reciprocalVector(a, b, c);
                    double k2 = dot(k, k);
                    if (k2 > kc * kc) {
                        continue;
                    }
                    double bb = Math.sqrt(k2) / (2 * eta);
                    double f =
                            (1 - 2 * bb * bb) * Math.exp(-bb * bb)
                                    + 2 * Math.sqrt(Math.PI) * bb * bb * bb * erfc(bb);
                    recip += f * Math.cos(dot(k, w));
                }
            }
        }
        double e3 = eta * eta * eta;
        double sum = real[0] + Math.pow(Math.PI, 1.5) * e3 / (3 * volume) * recip;
        if (self[0]) {
            sum -= e3 * e3 / 6;
        }
        return sum;
    }

    /** sum'_n exp(-{@value #PAULI_ALPHA} |d + n|), summed directly. */
    public double pauli(double[] d) {
        double[] w = wrap(d);
        double nearest = norm(w);
        if (nearest < SAME_POINT) {
            nearest = Math.min(lengths[0], Math.min(lengths[1], lengths[2]));
        }
        // terms beyond nearest + 45 / alpha are below e^-45 = 3e-20 of the nearest one
        double[] sum = {0};
        forEachImage(
                w,
                nearest + 45 / PAULI_ALPHA,
                r -> {
                    if (r >= SAME_POINT) {
                        sum[0] += Math.exp(-PAULI_ALPHA * r);
                    }
                });
        return sum[0];
    }

    /** Calls {@code term} with |w + n| for every translation n with |w + n| <= radius. */
    void forEachImage(double[] w, double radius, java.util.function.DoubleConsumer term) {
        int[] range = new int[3];
        for (int i = 0; i < 3; i++) {
            range[i] = (int) Math.ceil(radius / spacings[i]) + 1;
        }
        double r2max = radius * radius;
        for (int a = -range[0]; a <= range[0]; a++) {
            for (int b = -range[1]; b <= range[1]; b++) {
                for (int c = -range[2]; c <= range[2]; c++) {
                    double x = w[0] + a * m[0][0] + b * m[1][0] + c * m[2][0];
                    double y = w[1] + a * m[0][1] + b * m[1][1] + c * m[2][1];
                    double z = w[2] + a * m[0][2] + b * m[1][2] + c * m[2][2];
                    double r2 = x * x + y * y + z * z;
                    if (r2 <= r2max) {
                        term.accept(Math.sqrt(r2));
                    }
                }
            }
        }
    }

    /** How far the reciprocal indices go for |k| <= kc: the reciprocal planes are 2 pi / |a_i|. */
    private int[] reciprocalRange(double kc) {
        int[] range = new int[3];
        for (int i = 0; i < 3; i++) {
            range[i] = (int) Math.ceil(kc * lengths[i] / (2 * Math.PI)) + 1;
        }
        return range;
    }

    private double[] reciprocalVector(int a, int b, int c) {
        double[] k = new double[3];
        for (int i = 0; i < 3; i++) {
            k[i] = a * reciprocal[0][i] + b * reciprocal[1][i] + c * reciprocal[2][i];
        }
        return k;
    }

    /** d moved by a lattice translation to fractional coordinates in [-1/2, 1/2]. */
    private double[] wrap(double[] d) {
        double[] f = lattice.toFractional(d);
        for (int i = 0; i < 3; i++) {
            f[i] -= Math.rint(f[i]);
        }
        return lattice.toCartesian(f);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /**
     * The complementary error function to within a few ulps: for x < 1.5 as 1 - erf(x) with erf's
     * series of positive terms 2 / sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1 3 ... (2n+1)), above
     * it by the continued fraction e^{-x^2} / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x +
     * ...)))) evaluated with Lentz's method.
     */
    public static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 1.5) {
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 200 && term > 1e-18 * sum; n++) {
                term *= 2 * x2 / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.sqrt(Math.PI) * Math.exp(-x2) * sum;
        }
        // f = x + a_1 / (x + a_2 / (x + ...)), a_n = n / 2
        double tiny = 1e-300;
        double f = x;
        double c = x;
        double dd = 0;
        for (int n = 1; n < 5000; n++) {
            double an = n / 2.0;
            dd = x + an * dd;
            dd = Math.abs(dd) < tiny ? tiny : dd;
            c = x + an / c;
            c = Math.abs(c) < tiny ? tiny : c;
            dd = 1 / dd;
            double delta = c * dd;
            f *= delta;
            if (Math.abs(delta - 1) < 1e-16) {
                break;
            }
        }
        return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
    }
}
