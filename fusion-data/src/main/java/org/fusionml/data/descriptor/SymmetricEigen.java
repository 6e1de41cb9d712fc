package org.fusionml.data.descriptor;

/** Eigen-decomposition of small symmetric matrices by cyclic Jacobi rotations. */
final class SymmetricEigen {
    private SymmetricEigen() {}

    /**
     * Returns f(A) = V diag(f(lambda)) V^T for a symmetric n x n matrix {@code a} (row-major), with
     * f(x) = x^power.
     */
    static double[] power(double[] a, int n, double power) {
        double[] m = a.clone();
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        diagonalise(m, v, n);
        double[] out = new double[n * n];
        for (int k = 0; k < n; k++) {
            double lambda = m[k * n + k];
            if (!(lambda > 0)) {
                throw new IllegalArgumentException(
                        "matrix is not positive definite (eigenvalue " + lambda + ")");
            }
            double f = Math.pow(lambda, power);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i * n + j] += v[i * n + k] * f * v[j * n + k];
                }
            }
        }
        return out;
    }

    /**
     * Cyclic Jacobi sweeps (at most 100) until the squared off-diagonal sum is below 1e-30: {@code
     * m} ends (nearly) diagonal with the eigenvalues, the columns of {@code v} (the identity on
     * entry) are the eigenvectors.
     */
    private static void diagonalise(double[] m, double[] v, int n) {
        for (int sweep = 0; sweep < 100; sweep++) {
            if (offDiagonalSquares(m, n) < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(m, v, n, p, q);
                }
            }
        }
    }

    /** Sum of the squares of the strictly upper triangle of the n x n matrix m. */
    private static double offDiagonalSquares(double[] m, int n) {
        double off = 0;
        for (int p = 0; p < n; p++) {
            for (int q = p + 1; q < n; q++) {
                off += m[p * n + q] * m[p * n + q];
            }
        }
        return off;
    }

    /**
     * The Jacobi rotation J in the (p, q) plane that zeroes m[p][q]: m becomes J^T m J and v
     * becomes v J. Skipped when |m[p][q]| < 1e-300.
     */
    private static void rotate(double[] m, double[] v, int n, int p, int q) {
        double apq = m[p * n + q];
        if (Math.abs(apq) < 1e-300) {
            return;
        }
        double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
        double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        if (theta == 0) {
            t = 1;
        }
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int k = 0; k < n; k++) {
            double mkp = m[k * n + p];
            double mkq = m[k * n + q];
            m[k * n + p] = c * mkp - s * mkq;
            m[k * n + q] = s * mkp + c * mkq;
        }
        for (int k = 0; k < n; k++) {
            double mpk = m[p * n + k];
            double mqk = m[q * n + k];
            m[p * n + k] = c * mpk - s * mqk;
            m[q * n + k] = s * mpk + c * mqk;
        }
        for (int k = 0; k < n; k++) {
            double vkp = v[k * n + p];
            double vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
