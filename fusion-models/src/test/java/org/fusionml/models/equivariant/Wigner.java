package org.fusionml.models.equivariant;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Random rotations and the real Wigner matrices of {@link SphericalHarmonics} computed from the
 * harmonics themselves, for the equivariance tests.
 */
public final class Wigner {
    private static final int L = SphericalHarmonics.MAX_DEGREE;
    private static final int SIZE = SphericalHarmonics.size(L);

    private Wigner() {}

    /**
     * Block-diagonal D(R) [SIZE, SIZE] with Y(R u) = D(R) Y(u), fitted by least squares per degree
     * on 40 random directions: D^l = (sum_k Y_l(R u_k) Y_l(u_k)^T)(sum_k Y_l(u_k) Y_l(u_k)^T)^-1.
     */
    public static double[][] of(NDManager m, double[][] rot) {
        SplittableRandom rng = new SplittableRandom(77);
        int n = 40;
        double[][] u = new double[n][];
        double[][] ru = new double[n][];
        for (int k = 0; k < n; k++) {
            u[k] = randomVector(rng);
            ru[k] = apply(rot, u[k]);
        }
        double[][] y = harmonics(m, u);
        double[][] yr = harmonics(m, ru);
        double[][] d = new double[SIZE][SIZE];
        for (int l = 0; l <= L; l++) {
            int o = l * l;
            int dim = 2 * l + 1;
            double[][] a = new double[dim][dim]; // sum Y Y^T
            double[][] b = new double[dim][dim]; // sum Yr Y^T
            for (int k = 0; k < n; k++) {
                for (int i = 0; i < dim; i++) {
                    for (int j = 0; j < dim; j++) {
                        a[i][j] += y[k][o + i] * y[k][o + j];
                        b[i][j] += yr[k][o + i] * y[k][o + j];
                    }
                }
            }
            double[][] dl = multiply(b, invert(a));
            for (int i = 0; i < dim; i++) {
                System.arraycopy(dl[i], 0, d[o + i], o, dim);
            }
        }
        return d;
    }

    private static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            double[] t = m[c];
            m[c] = m[pivot];
            m[pivot] = t;
            double p = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= p;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    public static double[][] multiply(double[][] a, double[][] b) {
        double[][] c = new double[a.length][b[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    /** Y [R, (L + 1)^2] of the rows of {@code v} [R][3], float64. */
    static double[][] harmonics(NDManager m, double[][] v) {
        double[] flat = new double[v.length * 3];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(v[i], 0, flat, 3 * i, 3);
        }
        double[] y =
                SphericalHarmonics.of(m.create(flat, new Shape(v.length, 3)), L).toDoubleArray();
        double[][] out = new double[v.length][SIZE];
        for (int i = 0; i < v.length; i++) {
            System.arraycopy(y, i * SIZE, out[i], 0, SIZE);
        }
        return out;
    }

    static double[] apply(double[][] r, double[] v) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = r[i][0] * v[0] + r[i][1] * v[1] + r[i][2] * v[2];
        }
        return out;
    }

    static double[] randomVector(SplittableRandom rng) {
        return new double[] {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
    }

    /** A uniformly random proper rotation from a normalised Gaussian quaternion. */
    public static double[][] randomRotation(SplittableRandom rng) {
        double[] q = new double[4];
        double n = 0;
        for (int i = 0; i < 4; i++) {
            // Box-Muller
            q[i] =
                    Math.sqrt(-2 * Math.log(1 - rng.nextDouble()))
                            * Math.cos(2 * Math.PI * rng.nextDouble());
            n += q[i] * q[i];
        }
        n = Math.sqrt(n);
        double w = q[0] / n;
        double x = q[1] / n;
        double y = q[2] / n;
        double z = q[3] / n;
        return new double[][] {
            {1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)},
            {2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)},
            {2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)},
        };
    }
}
