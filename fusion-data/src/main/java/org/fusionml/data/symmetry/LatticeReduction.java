package org.fusionml.data.symmetry;

/**
 * Reduction of a lattice basis to short, nearly orthogonal vectors (Lagrange-Gauss size reduction
 * repeated to a fixed point, with a final search of b_k +- b_i +- b_j): after it, every lattice
 * symmetry has integer coefficients in [-2, 2], which {@link LatticePointGroup} relies on.
 */
final class LatticeReduction {
    private LatticeReduction() {}

    /**
     * Returns the unimodular integer matrix T (row-major, det +1) such that the rows of T M are the
     * reduced basis of the lattice whose rows are M.
     */
    static int[] reduce(double[] m) {
        int[] t = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        for (int iteration = 0; iteration < 200; iteration++) {
            boolean changed = sortByLength(t, m);
            for (int i = 1; i < 3; i++) {
                for (int j = 0; j < i; j++) {
                    double[] bi = row(t, i, m);
                    double[] bj = row(t, j, m);
                    long mu = Math.round(dot(bi, bj) / dot(bj, bj));
                    if (mu != 0) {
                        for (int k = 0; k < 3; k++) {
                            t[3 * i + k] -= (int) mu * t[3 * j + k];
                        }
                        changed = true;
                    }
                }
            }
            changed |= shortenWithSums(t, m);
            if (!changed) {
                break;
            }
        }
        sortByLength(t, m);
        if (det(t) < 0) {
            for (int k = 0; k < 3; k++) {
                t[6 + k] = -t[6 + k];
            }
        }
        return t;
    }

    private static boolean shortenWithSums(int[] t, double[] m) {
        boolean changed = false;
        for (int k = 0; k < 3; k++) {
            int i = (k + 1) % 3;
            int j = (k + 2) % 3;
            double best = dot(row(t, k, m), row(t, k, m));
            int[] bestRow = null;
            for (int si = -1; si <= 1; si++) {
                for (int sj = -1; sj <= 1; sj++) {
                    if (si == 0 && sj == 0) {
                        continue;
                    }
                    int[] r = new int[3];
                    for (int q = 0; q < 3; q++) {
                        r[q] = t[3 * k + q] + si * t[3 * i + q] + sj * t[3 * j + q];
                    }
                    double[] v = times(r, m);
                    double len = dot(v, v);
                    if (len < best * (1 - 1e-12)) {
                        best = len;
                        bestRow = r;
                    }
                }
            }
            if (bestRow != null) {
                System.arraycopy(bestRow, 0, t, 3 * k, 3);
                changed = true;
            }
        }
        return changed;
    }

    private static boolean sortByLength(int[] t, double[] m) {
        boolean changed = false;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < 2; i++) {
                double a = dot(row(t, i, m), row(t, i, m));
                double b = dot(row(t, i + 1, m), row(t, i + 1, m));
                if (b < a * (1 - 1e-12)) {
                    for (int k = 0; k < 3; k++) {
                        int x = t[3 * i + k];
                        t[3 * i + k] = t[3 * (i + 1) + k];
                        t[3 * (i + 1) + k] = x;
                    }
                    changed = true;
                }
            }
        }
        return changed;
    }

    static double[] row(int[] t, int i, double[] m) {
        return times(new int[] {t[3 * i], t[3 * i + 1], t[3 * i + 2]}, m);
    }

    static double[] times(int[] r, double[] m) {
        return new double[] {
            r[0] * m[0] + r[1] * m[3] + r[2] * m[6],
            r[0] * m[1] + r[1] * m[4] + r[2] * m[7],
            r[0] * m[2] + r[1] * m[5] + r[2] * m[8],
        };
    }

    static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    static int det(int[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7])
                - a[1] * (a[3] * a[8] - a[5] * a[6])
                + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }
}
