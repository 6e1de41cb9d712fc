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
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += m[p * n + q] * m[p * n + q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    double apq = m[p * n + q];
                    if (Math.abs(apq) < 1e-300) {
                        continue;
                    }
                    double theta = (m[q * n + q] - m[p * n + p]) / (2 * apq);
                    double t =
                            Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
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
        }
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
}
