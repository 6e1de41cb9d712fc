package org.fusionml.models.equivariant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.SplittableRandom;
import org.fusionml.models.FiniteDifferences;
import org.junit.jupiter.api.Test;

/**
 * {@link SphericalHarmonics}, {@link ClebschGordan} and {@link TensorProduct} against closed forms:
 * orthonormality by quadrature on the sphere, the addition theorem, tabulated Clebsch-Gordan
 * values, the Gaunt relation, dot and cross product, and equivariance under random rotations with
 * the Wigner matrices D^l(R) obtained from the harmonics themselves (least squares of Y_l(R u_k) =
 * D^l(R) Y_l(u_k) over sample directions u_k).
 */
class EquivariantTest {
    private static final int L = SphericalHarmonics.MAX_DEGREE;
    private static final int SIZE = SphericalHarmonics.size(L);

    /** Y [R, SIZE] of the rows of {@code v} [R][3], float64. */
    private static double[][] harmonics(NDManager m, double[][] v) {
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

    /** Gauss-Legendre nodes and weights on [-1, 1] (Newton on P_n). */
    private static double[][] gaussLegendre(int n) {
        double[] x = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1;
                double p1 = t;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (t * p1 - p0) / (t * t - 1);
                double dt = p1 / dp;
                t -= dt;
                if (Math.abs(dt) < 1e-16) {
                    break;
                }
            }
            x[i] = t;
            w[i] = 2 / ((1 - t * t) * dp * dp);
        }
        return new double[][] {x, w};
    }

    @Test
    void harmonicsAreOrthonormalOnTheSphere() {
        // exact for the products of degree <= 6: 8 Gauss-Legendre nodes in z, 16 angles in phi
        double[][] gl = gaussLegendre(8);
        int nPhi = 16;
        double[][] points = new double[8 * nPhi][];
        double[] weights = new double[8 * nPhi];
        for (int i = 0; i < 8; i++) {
            double z = gl[0][i];
            double s = Math.sqrt(1 - z * z);
            for (int j = 0; j < nPhi; j++) {
                double phi = 2 * Math.PI * (j + 0.3) / nPhi;
                // lengths other than 1: the harmonics see the direction only
                double r = 0.5 + (i * nPhi + j) % 5;
                points[i * nPhi + j] =
                        new double[] {r * s * Math.cos(phi), r * s * Math.sin(phi), r * z};
                weights[i * nPhi + j] = gl[1][i] * 2 * Math.PI / nPhi;
            }
        }
        assertEquals(2.0, java.util.Arrays.stream(gl[1]).sum(), 1e-14);
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] y = harmonics(m, points);
            for (int a = 0; a < SIZE; a++) {
                for (int b = 0; b < SIZE; b++) {
                    double integral = 0;
                    for (int k = 0; k < points.length; k++) {
                        integral += weights[k] * y[k][a] * y[k][b];
                    }
                    assertEquals(a == b ? 1 : 0, integral, 1e-12, "<Y_" + a + ", Y_" + b + ">");
                }
            }
        }
    }

    @Test
    void additionTheoremHolds() {
        SplittableRandom rng = new SplittableRandom(3);
        int n = 50;
        double[][] u = new double[n][];
        double[][] v = new double[n][];
        for (int i = 0; i < n; i++) {
            u[i] = randomVector(rng);
            v[i] = randomVector(rng);
        }
        v[0] = u[0].clone(); // t = 1
        v[1] = new double[] {-2 * u[1][0], -2 * u[1][1], -2 * u[1][2]}; // t = -1
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] yu = harmonics(m, u);
            double[][] yv = harmonics(m, v);
            for (int i = 0; i < n; i++) {
                double t = dot(u[i], v[i]) / Math.sqrt(dot(u[i], u[i]) * dot(v[i], v[i]));
                double[] legendre = {
                    1, t, (3 * t * t - 1) / 2, (5 * t * t * t - 3 * t) / 2,
                };
                for (int l = 0; l <= L; l++) {
                    double sum = 0;
                    for (int k = l * l; k < (l + 1) * (l + 1); k++) {
                        sum += yu[i][k] * yv[i][k];
                    }
                    assertEquals((2 * l + 1) / (4 * Math.PI) * legendre[l], sum, 1e-13);
                }
            }
            // tabulated values at one direction: Y_1 = sqrt(3 / 4 pi) (y, z, x)
            double[][] y = harmonics(m, new double[][] {{0, 0, 2}, {3, 0, 0}});
            double c1 = Math.sqrt(3 / (4 * Math.PI));
            assertArrayEquals(
                    new double[] {0, c1, 0}, java.util.Arrays.copyOfRange(y[0], 1, 4), 1e-15);
            assertArrayEquals(
                    new double[] {0, 0, c1}, java.util.Arrays.copyOfRange(y[1], 1, 4), 1e-15);
            assertEquals(Math.sqrt(7 / Math.PI) / 2, y[0][12], 1e-14); // Y_30 at the pole
            assertEquals(Math.sqrt(35 / (2 * Math.PI)) / 4, y[1][15], 1e-14); // Y_33 at x
            assertThrows(
                    IllegalArgumentException.class,
                    () -> SphericalHarmonics.of(m.zeros(new Shape(1, 3)), L + 1));
        }
    }

    @Test
    void harmonicsHaveFiniteDifferenceGradients() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] r = new double[4 * 3];
        for (int i = 0; i < r.length; i++) {
            r[i] = rng.nextDouble(-2, 2);
        }
        double[] w = new double[4 * SIZE];
        for (int i = 0; i < w.length; i++) {
            w[i] = rng.nextDouble(-1, 1);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray weights = m.create(w, new Shape(4, SIZE));
            java.util.function.ToDoubleFunction<double[]> f =
                    at -> {
                        try (NDManager sub = m.newSubManager()) {
                            NDArray y = SphericalHarmonics.of(sub.create(at, new Shape(4, 3)), L);
                            return y.mul(weights).sum().getDouble();
                        }
                    };
            double[] expected = FiniteDifferences.gradient(r, f, 1e-6);
            NDArray x = m.create(r, new Shape(4, 3));
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(SphericalHarmonics.of(x, L).mul(weights).sum());
            }
            assertArrayEquals(expected, x.getGradient().toDoubleArray(), 1e-7);
        }
    }

    @Test
    void clebschGordanMatchTabulatedValues() {
        double s3 = Math.sqrt(1.0 / 3);
        assertEquals(-s3, ClebschGordan.complex(1, 0, 1, 0, 0, 0), 1e-15);
        assertEquals(s3, ClebschGordan.complex(1, 1, 1, -1, 0, 0), 1e-15);
        assertEquals(Math.sqrt(0.5), ClebschGordan.complex(1, 1, 1, 0, 1, 1), 1e-15);
        assertEquals(-Math.sqrt(0.5), ClebschGordan.complex(1, 0, 1, 1, 1, 1), 1e-15);
        assertEquals(Math.sqrt(2.0 / 3), ClebschGordan.complex(1, 0, 1, 0, 2, 0), 1e-15);
        assertEquals(1, ClebschGordan.complex(2, 2, 1, 1, 3, 3), 1e-15);
        assertEquals(0, ClebschGordan.complex(1, 0, 1, 0, 1, 0), 1e-15);
        assertEquals(0, ClebschGordan.complex(1, 1, 1, 1, 1, 1), 1e-15); // M != m1 + m2
        assertThrows(IllegalArgumentException.class, () -> ClebschGordan.real(1, 1, 3));
    }

    @Test
    void realClebschGordanAreOrthonormalAndGiveDotCrossAndGaunt() {
        for (int l1 = 0; l1 <= L; l1++) {
            for (int l2 = 0; l2 <= L; l2++) {
                for (int l3 = Math.abs(l1 - l2); l3 <= l1 + l2; l3++) {
                    double[][][] c = ClebschGordan.real(l1, l2, l3);
                    for (int k = 0; k <= 2 * l3; k++) {
                        for (int q = 0; q <= 2 * l3; q++) {
                            double s = 0;
                            for (int a = 0; a <= 2 * l1; a++) {
                                for (int b = 0; b <= 2 * l2; b++) {
                                    s += c[a][b][k] * c[a][b][q];
                                }
                            }
                            assertEquals(k == q ? 1 : 0, s, 1e-13);
                        }
                    }
                }
            }
        }
        SplittableRandom rng = new SplittableRandom(9);
        double[] x = randomVector(rng);
        double[] y = randomVector(rng);
        // vectors in the (y, z, x) order of the degree-1 harmonics
        double[] xs = {x[1], x[2], x[0]};
        double[] ys = {y[1], y[2], y[0]};
        double[] dot = couple(ClebschGordan.real(1, 1, 0), xs, ys);
        assertEquals(-Math.sqrt(1.0 / 3) * dot(x, y), dot[0], 1e-14);
        double[] cross = couple(ClebschGordan.real(1, 1, 1), xs, ys);
        double[] c = {
            x[1] * y[2] - x[2] * y[1], x[2] * y[0] - x[0] * y[2], x[0] * y[1] - x[1] * y[0]
        };
        double[] cs = {c[1], c[2], c[0]};
        double factor = cross[0] / cs[0];
        assertEquals(Math.sqrt(0.5), Math.abs(factor), 1e-13);
        assertArrayEquals(
                new double[] {factor * cs[0], factor * cs[1], factor * cs[2]}, cross, 1e-14);
        // Gaunt: sum C[a,b,c] Y_l1a(u) Y_l2b(u) = sqrt((2l1+1)(2l2+1)/(4pi(2l3+1))) <l1 0 l2 0|l3
        // 0> Y_l3c(u)
        try (NDManager m = NDManager.newBaseManager()) {
            double[] u = randomVector(rng);
            double[] yu = harmonics(m, new double[][] {u})[0];
            int checked = 0;
            for (int l1 = 0; l1 <= L; l1++) {
                for (int l2 = 0; l2 <= L; l2++) {
                    for (int l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, L); l3 += 2) {
                        double[] z =
                                couple(
                                        ClebschGordan.real(l1, l2, l3),
                                        java.util.Arrays.copyOfRange(
                                                yu, l1 * l1, (l1 + 1) * (l1 + 1)),
                                        java.util.Arrays.copyOfRange(
                                                yu, l2 * l2, (l2 + 1) * (l2 + 1)));
                        double k =
                                Math.sqrt(
                                                (2 * l1 + 1)
                                                        * (2 * l2 + 1)
                                                        / (4 * Math.PI * (2 * l3 + 1)))
                                        * ClebschGordan.complex(l1, 0, l2, 0, l3, 0);
                        for (int q = 0; q <= 2 * l3; q++) {
                            assertEquals(
                                    k * yu[l3 * l3 + q],
                                    z[q],
                                    1e-13,
                                    l1 + " x " + l2 + " -> " + l3);
                        }
                        checked++;
                    }
                }
            }
            assertEquals(23, checked); // the even paths with degrees <= 3
        }
    }

    @Test
    void tensorProductIsEquivariantUnderRandomRotations() {
        SplittableRandom rng = new SplittableRandom(21);
        int rows = 3;
        int channels = 2;
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean even : new boolean[] {false, true}) {
                TensorProduct tp = new TensorProduct(L, L, L, even);
                int p = tp.numPaths();
                double[] x = randomArray(rng, rows * channels * SIZE);
                double[] y = randomArray(rng, rows * SIZE);
                double[] w = randomArray(rng, rows * channels * p);
                for (int trial = 0; trial < 3; trial++) {
                    double[][] d = Wigner.of(m, Wigner.randomRotation(rng));
                    double[] z = product(m, tp, x, y, w, rows, channels);
                    double[] zr = product(m, tp, rotate(d, x), rotate(d, y), w, rows, channels);
                    double[] expected = rotate(d, z);
                    double scale = 0;
                    for (double v : z) {
                        scale = Math.max(scale, Math.abs(v));
                    }
                    assertTrue(scale > 0.1);
                    assertArrayEquals(expected, zr, 1e-6 * scale);
                    // a coupling that is not equivariant fails: x with its degree-1 part swapped
                    double[] xBad = rotate(d, x);
                    for (int r = 0; r < rows * channels; r++) {
                        double t = xBad[r * SIZE + 1];
                        xBad[r * SIZE + 1] = xBad[r * SIZE + 3];
                        xBad[r * SIZE + 3] = t;
                    }
                    double[] zBad = product(m, tp, xBad, rotate(d, y), w, rows, channels);
                    double diff = 0;
                    for (int i = 0; i < z.length; i++) {
                        diff = Math.max(diff, Math.abs(zBad[i] - expected[i]));
                    }
                    assertTrue(diff > 1e-3);
                }
            }
            // the paths of (3 x 3 -> 3): 34 with l_3 <= 3, 23 of them with l_1 + l_2 + l_3 even
            assertEquals(34, new TensorProduct(L, L, L, false).numPaths());
            assertEquals(23, new TensorProduct(L, L, L, true).numPaths());
        }
    }

    @Test
    void tensorProductHasFiniteDifferenceGradients() {
        SplittableRandom rng = new SplittableRandom(13);
        TensorProduct tp = new TensorProduct(2, 2, 2, false);
        int s = SphericalHarmonics.size(2);
        int p = tp.numPaths();
        int rows = 2;
        int ch = 2;
        double[] all = randomArray(rng, rows * ch * s + rows * s + rows * ch * p);
        double[] out = randomArray(rng, rows * ch * s);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray outWeights = m.create(out, new Shape(rows, ch, s));
            java.util.function.Function<NDArray, NDArray> f =
                    v -> {
                        NDArray x = v.get("0:" + rows * ch * s).reshape(rows, ch, s);
                        NDArray y =
                                v.get(rows * ch * s + ":" + (rows * ch * s + rows * s))
                                        .reshape(rows, 1, s);
                        NDArray w = v.get((rows * ch * s + rows * s) + ":").reshape(rows, ch, p);
                        return tp.apply(x, y, w).mul(outWeights).sum();
                    };
            double[] expected =
                    FiniteDifferences.gradient(
                            all,
                            at -> {
                                try (NDManager sub = m.newSubManager()) {
                                    return f.apply(sub.create(at)).getDouble();
                                }
                            },
                            1e-6);
            NDArray v = m.create(all);
            v.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(f.apply(v));
            }
            assertArrayEquals(expected, v.getGradient().toDoubleArray(), 1e-7);
            // without weights every path counts once
            NDArray x =
                    m.create(java.util.Arrays.copyOf(all, rows * ch * s), new Shape(rows, ch, s));
            NDArray y = m.create(randomArray(rng, rows * s), new Shape(rows, 1, s));
            NDArray ones = m.ones(new Shape(rows, ch, p), x.getDataType());
            assertArrayEquals(
                    tp.apply(x, y, ones).toDoubleArray(),
                    tp.apply(x, y, null).toDoubleArray(),
                    1e-15);
        }
    }

    /**
     * The Wigner D matrices are orthogonal and D(R1 R2) = D(R1) D(R2): the harmonics carry a
     * representation, and the least-squares fit is exact.
     */
    @Test
    void wignerMatricesFromHarmonicsFormARepresentation() {
        SplittableRandom rng = new SplittableRandom(2);
        try (NDManager m = NDManager.newBaseManager()) {
            double[][] r1 = Wigner.randomRotation(rng);
            double[][] r2 = Wigner.randomRotation(rng);
            double[][] d1 = Wigner.of(m, r1);
            double[][] d2 = Wigner.of(m, r2);
            double[][] d12 = Wigner.of(m, Wigner.multiply(r1, r2));
            double[][] product = Wigner.multiply(d1, d2);
            double[][] gram = Wigner.multiply(transpose(d1), d1);
            for (int a = 0; a < SIZE; a++) {
                assertArrayEquals(d12[a], product[a], 1e-12);
                for (int b = 0; b < SIZE; b++) {
                    assertEquals(a == b ? 1 : 0, gram[a][b], 1e-12);
                }
            }
            // degree 1 is the rotation itself in the (y, z, x) order
            int[] order = {1, 2, 0};
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    assertEquals(r1[order[a]][order[b]], d1[1 + a][1 + b], 1e-12);
                }
            }
        }
    }

    // --- helpers ---

    private static double[] product(
            NDManager m, TensorProduct tp, double[] x, double[] y, double[] w, int rows, int ch) {
        try (NDManager sub = m.newSubManager()) {
            NDArray z =
                    tp.apply(
                            sub.create(x, new Shape(rows, ch, SIZE)),
                            sub.create(y, new Shape(rows, 1, SIZE)),
                            sub.create(w, new Shape(rows, ch, tp.numPaths())));
            return z.toDoubleArray();
        }
    }

    /** D x for each block of SIZE values. */
    private static double[] rotate(double[][] d, double[] x) {
        double[] out = new double[x.length];
        for (int r = 0; r < x.length / SIZE; r++) {
            for (int a = 0; a < SIZE; a++) {
                double s = 0;
                for (int b = 0; b < SIZE; b++) {
                    s += d[a][b] * x[r * SIZE + b];
                }
                out[r * SIZE + a] = s;
            }
        }
        return out;
    }

    private static double[][] transpose(double[][] a) {
        double[][] t = new double[a[0].length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    /** z_c = sum_ab C[a][b][c] x_a y_b. */
    private static double[] couple(double[][][] c, double[] x, double[] y) {
        double[] z = new double[c[0][0].length];
        for (int a = 0; a < x.length; a++) {
            for (int b = 0; b < y.length; b++) {
                for (int k = 0; k < z.length; k++) {
                    z[k] += c[a][b][k] * x[a] * y[b];
                }
            }
        }
        return z;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] randomVector(SplittableRandom rng) {
        return new double[] {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
    }

    private static double[] randomArray(SplittableRandom rng, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextDouble(-1, 1);
        }
        return a;
    }
}
