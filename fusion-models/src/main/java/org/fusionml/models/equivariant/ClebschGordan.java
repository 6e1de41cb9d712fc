package org.fusionml.models.equivariant;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Clebsch-Gordan coefficients in the real basis of {@link SphericalHarmonics}: the tensor C[a, b,
 * c] (a, b, c indexing m_1, m_2, m_3 = -l..l) such that z_c = sum_ab C[a, b, c] x_a y_b maps
 * features x of degree l_1 and y of degree l_2 to features z of degree l_3 equivariantly: for every
 * rotation R, D^{l_3}(R) z(x, y) = z(D^{l_1}(R) x, D^{l_2}(R) y).
 *
 * <p>Built from the complex coefficients (Racah's formula, Condon-Shortley phase) by the change of
 * basis Y_real = U Y_complex of {@link SphericalHarmonics}: C_real[a, b, c] = sum conj(U_3[c,
 * mu_3]) C[mu_1, mu_2, mu_3] U_1[a, mu_1] U_2[b, mu_2]. The result is real when l_1 + l_2 + l_3 is
 * even and imaginary when it is odd (the antisymmetric couplings such as the cross product); the
 * non-zero part is returned, so that, like the complex coefficients, sum_ab C[a, b, c] C[a, b, c']
 * = delta_cc'. (1 x 1 -> 0) is the dot product and (1 x 1 -> 1) the cross product, each up to a
 * constant factor.
 */
public final class ClebschGordan {
    private static final Map<Long, double[][][]> CACHE = new ConcurrentHashMap<>();

    private ClebschGordan() {}

    /** Whether degrees l_1, l_2 couple to l_3: |l_1 - l_2| &lt;= l_3 &lt;= l_1 + l_2. */
    public static boolean allowed(int l1, int l2, int l3) {
        return l1 >= 0 && l2 >= 0 && l3 >= Math.abs(l1 - l2) && l3 <= l1 + l2;
    }

    /**
     * The real-basis coefficients C[2 l_1 + 1][2 l_2 + 1][2 l_3 + 1] (a fresh copy).
     *
     * @throws IllegalArgumentException if the degrees do not couple
     */
    public static double[][][] real(int l1, int l2, int l3) {
        if (!allowed(l1, l2, l3)) {
            throw new IllegalArgumentException(
                    "degrees " + l1 + " x " + l2 + " do not couple to " + l3);
        }
        long key = ((long) l1 << 40) | ((long) l2 << 20) | l3;
        double[][][] c = CACHE.computeIfAbsent(key, k -> compute(l1, l2, l3));
        double[][][] copy = new double[c.length][c[0].length][];
        for (int a = 0; a < c.length; a++) {
            for (int b = 0; b < c[0].length; b++) {
                copy[a][b] = c[a][b].clone();
            }
        }
        return copy;
    }

    /**
     * The complex coefficient &lt;j_1 m_1 j_2 m_2 | J M&gt; (Racah's formula; zero unless M = m_1 +
     * m_2 and the degrees couple).
     */
    public static double complex(int j1, int m1, int j2, int m2, int bigJ, int bigM) {
        if (bigM != m1 + m2
                || !allowed(j1, j2, bigJ)
                || Math.abs(m1) > j1
                || Math.abs(m2) > j2
                || Math.abs(bigM) > bigJ) {
            return 0;
        }
        double prefactor =
                Math.sqrt(
                        (2 * bigJ + 1)
                                * factorial(bigJ + j1 - j2)
                                * factorial(bigJ - j1 + j2)
                                * factorial(j1 + j2 - bigJ)
                                / factorial(j1 + j2 + bigJ + 1)
                                * factorial(bigJ + bigM)
                                * factorial(bigJ - bigM)
                                * factorial(j1 - m1)
                                * factorial(j1 + m1)
                                * factorial(j2 - m2)
                                * factorial(j2 + m2));
        double sum = 0;
        for (int k = 0; k <= j1 + j2 - bigJ; k++) {
            int[] args = {
                j1 + j2 - bigJ - k, j1 - m1 - k, j2 + m2 - k, bigJ - j2 + m1 + k, bigJ - j1 - m2 + k
            };
            boolean ok = true;
            double denominator = factorial(k);
            for (int a : args) {
                if (a < 0) {
                    ok = false;
                    break;
                }
                denominator *= factorial(a);
            }
            if (ok) {
                sum += (k % 2 == 0 ? 1 : -1) / denominator;
            }
        }
        return prefactor * sum;
    }

    private static double factorial(int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }

    /**
     * U[m][mu] of Y_real,m = sum_mu U[m][mu] Y_complex,mu, as {re, im} pairs [2l+1][2l+1][2]
     * (indices m + l, mu + l).
     */
    static double[][][] realFromComplex(int l) {
        int d = 2 * l + 1;
        double[][][] u = new double[d][d][2];
        double s = Math.sqrt(0.5);
        u[l][l][0] = 1;
        for (int m = 1; m <= l; m++) {
            double sign = m % 2 == 0 ? 1 : -1;
            // Y_m = ((-1)^m Y^m + Y^-m) / sqrt 2
            u[l + m][l + m][0] = sign * s;
            u[l + m][l - m][0] = s;
            // Y_-m = ((-1)^m Y^m - Y^-m) / (i sqrt 2) = -i (-1)^m Y^m / sqrt 2 + i Y^-m / sqrt 2
            u[l - m][l + m][1] = -sign * s;
            u[l - m][l - m][1] = s;
        }
        return u;
    }

    private static double[][][] compute(int l1, int l2, int l3) {
        int d1 = 2 * l1 + 1;
        int d2 = 2 * l2 + 1;
        int d3 = 2 * l3 + 1;
        double[][][] u1 = realFromComplex(l1);
        double[][][] u2 = realFromComplex(l2);
        double[][][] u3 = realFromComplex(l3);
        double[][][] re = new double[d1][d2][d3];
        double[][][] im = new double[d1][d2][d3];
        double normRe = 0;
        double normIm = 0;
        for (int a = 0; a < d1; a++) {
            for (int b = 0; b < d2; b++) {
                for (int c = 0; c < d3; c++) {
                    double sr = 0;
                    double si = 0;
                    for (int m1 = -l1; m1 <= l1; m1++) {
                        double[] p = u1[a][m1 + l1];
                        if (p[0] == 0 && p[1] == 0) {
                            continue;
                        }
                        for (int m2 = -l2; m2 <= l2; m2++) {
                            double[] q = u2[b][m2 + l2];
                            int m3 = m1 + m2;
                            if ((q[0] == 0 && q[1] == 0) || Math.abs(m3) > l3) {
                                continue;
                            }
                            double cg = complex(l1, m1, l2, m2, l3, m3);
                            if (cg == 0) {
                                continue;
                            }
                            double[] w = u3[c][m3 + l3];
                            // conj(w) * p * q * cg
                            double pqRe = p[0] * q[0] - p[1] * q[1];
                            double pqIm = p[0] * q[1] + p[1] * q[0];
                            sr += cg * (w[0] * pqRe + w[1] * pqIm);
                            si += cg * (w[0] * pqIm - w[1] * pqRe);
                        }
                    }
                    re[a][b][c] = sr;
                    im[a][b][c] = si;
                    normRe += sr * sr;
                    normIm += si * si;
                }
            }
        }
        double[][][] c = normRe >= normIm ? re : im;
        return c;
    }
}
