package org.fusionml.data.structure;

import java.util.Arrays;

/**
 * A crystal lattice given by three row vectors a, b, c in Angstrom.
 *
 * <p>Fractional coordinates f map to Cartesian r = f M, where the rows of M are a, b and c (the
 * pymatgen convention). Immutable; every accessor returns a copy.
 */
public final class Lattice {
    /** Smallest accepted cell volume, Angstrom^3. */
    public static final double MIN_VOLUME = 1e-6;

    private final double[] m; // row-major 3x3: m[3 * i + k] = component k of lattice vector i
    private final double[] inv; // inverse of M, row-major

    private Lattice(double[] m) {
        this.m = m;
        double det = determinant(m);
        if (!Double.isFinite(det)) {
            throw new IllegalArgumentException("lattice has a non-finite component");
        }
        if (Math.abs(det) < MIN_VOLUME) {
            throw new IllegalArgumentException(
                    "lattice has zero volume (|det| = " + Math.abs(det) + " A^3)");
        }
        this.inv = inverse(m, det);
    }

    /**
     * Creates a lattice from its row vectors.
     *
     * @param matrix 3x3, row i is lattice vector i, Angstrom
     * @throws IllegalArgumentException if the shape is wrong, a value is not finite or the volume
     *     is below {@link #MIN_VOLUME} (left-handed bases are accepted, as pymatgen accepts them)
     */
    public static Lattice of(double[][] matrix) {
        if (matrix == null || matrix.length != 3) {
            throw new IllegalArgumentException("lattice matrix must have 3 rows");
        }
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            if (matrix[i] == null || matrix[i].length != 3) {
                throw new IllegalArgumentException("lattice row " + i + " must have 3 components");
            }
            for (int k = 0; k < 3; k++) {
                m[3 * i + k] = matrix[i][k];
            }
        }
        return new Lattice(m);
    }

    /**
     * Creates a lattice from lengths (Angstrom) and angles (degrees), a along x, b in the xy plane.
     */
    public static Lattice fromParameters(
            double a, double b, double c, double alpha, double beta, double gamma) {
        double ca = Math.cos(Math.toRadians(alpha));
        double cb = Math.cos(Math.toRadians(beta));
        double cg = Math.cos(Math.toRadians(gamma));
        double sg = Math.sin(Math.toRadians(gamma));
        double cx = c * cb;
        double cy = c * (ca - cb * cg) / sg;
        double cz2 = c * c - cx * cx - cy * cy;
        if (!(cz2 > 0)) {
            throw new IllegalArgumentException(
                    "lattice angles " + alpha + ", " + beta + ", " + gamma + " give no cell");
        }
        return of(new double[][] {{a, 0, 0}, {b * cg, b * sg, 0}, {cx, cy, Math.sqrt(cz2)}});
    }

    /** Cubic lattice of edge {@code a} Angstrom. */
    public static Lattice cubic(double a) {
        return of(new double[][] {{a, 0, 0}, {0, a, 0}, {0, 0, a}});
    }

    /** The 3x3 matrix, rows are lattice vectors, Angstrom. */
    public double[][] matrix() {
        return new double[][] {
            {m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]},
        };
    }

    /** Lattice vector {@code i} (0 = a, 1 = b, 2 = c), Angstrom. */
    public double[] vector(int i) {
        return new double[] {m[3 * i], m[3 * i + 1], m[3 * i + 2]};
    }

    /** Matrix element: component {@code k} of lattice vector {@code i}, Angstrom. */
    public double get(int i, int k) {
        return m[3 * i + k];
    }

    /** Cell volume |det M|, Angstrom^3. */
    public double volume() {
        return Math.abs(determinant(m));
    }

    /** Lengths a, b, c, Angstrom. */
    public double[] lengths() {
        return new double[] {norm(0), norm(1), norm(2)};
    }

    /** Angles alpha (b,c), beta (a,c), gamma (a,b), degrees. */
    public double[] angles() {
        return new double[] {angle(1, 2), angle(0, 2), angle(0, 1)};
    }

    /**
     * Crystallographic reciprocal lattice (rows b_i with a_i . b_j = delta_ij, no factor 2 pi),
     * 1/A.
     */
    public double[][] reciprocalCrystallographic() {
        // Rows of (M^-1)^T are the columns of M^-1.
        return new double[][] {
            {inv[0], inv[3], inv[6]}, {inv[1], inv[4], inv[7]}, {inv[2], inv[5], inv[8]},
        };
    }

    /** Physicist's reciprocal lattice, 2 pi times {@link #reciprocalCrystallographic()}, 1/A. */
    public double[][] reciprocal() {
        double[][] r = reciprocalCrystallographic();
        for (double[] row : r) {
            for (int k = 0; k < 3; k++) {
                row[k] *= 2 * Math.PI;
            }
        }
        return r;
    }

    /**
     * Distances between neighbouring lattice planes, d_i = V / |a_j x a_k| = 1 / |b_i|, Angstrom.
     * The number of periodic images a sphere of radius r reaches along direction i is about r /
     * d_i.
     */
    public double[] planeSpacings() {
        double[] d = new double[3];
        for (int i = 0; i < 3; i++) {
            double s = inv[i] * inv[i] + inv[3 + i] * inv[3 + i] + inv[6 + i] * inv[6 + i];
            d[i] = 1.0 / Math.sqrt(s);
        }
        return d;
    }

    /** Cartesian coordinates (Angstrom) of fractional coordinates {@code f}. */
    public double[] toCartesian(double[] f) {
        return new double[] {
            f[0] * m[0] + f[1] * m[3] + f[2] * m[6],
            f[0] * m[1] + f[1] * m[4] + f[2] * m[7],
            f[0] * m[2] + f[1] * m[5] + f[2] * m[8],
        };
    }

    /** Fractional coordinates of Cartesian {@code r} (Angstrom). */
    public double[] toFractional(double[] r) {
        return new double[] {
            r[0] * inv[0] + r[1] * inv[3] + r[2] * inv[6],
            r[0] * inv[1] + r[1] * inv[4] + r[2] * inv[7],
            r[0] * inv[2] + r[1] * inv[5] + r[2] * inv[8],
        };
    }

    /** Returns the lattice whose vectors are the rows of {@code t} times this matrix (t M). */
    public Lattice transform(int[][] t) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                out[3 * i + k] = t[i][0] * m[k] + t[i][1] * m[3 + k] + t[i][2] * m[6 + k];
            }
        }
        return new Lattice(out);
    }

    /**
     * Returns this lattice rotated by the proper rotation {@code r} (each vector v becomes R v).
     */
    public Lattice rotate(double[][] r) {
        double[] out = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                out[3 * i + k] =
                        r[k][0] * m[3 * i] + r[k][1] * m[3 * i + 1] + r[k][2] * m[3 * i + 2];
            }
        }
        return new Lattice(out);
    }

    private double norm(int i) {
        return Math.sqrt(
                m[3 * i] * m[3 * i] + m[3 * i + 1] * m[3 * i + 1] + m[3 * i + 2] * m[3 * i + 2]);
    }

    private double angle(int i, int j) {
        double dot =
                m[3 * i] * m[3 * j] + m[3 * i + 1] * m[3 * j + 1] + m[3 * i + 2] * m[3 * j + 2];
        double c = Math.max(-1, Math.min(1, dot / (norm(i) * norm(j))));
        return Math.toDegrees(Math.acos(c));
    }

    private static double determinant(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7])
                - a[1] * (a[3] * a[8] - a[5] * a[6])
                + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    private static double[] inverse(double[] a, double det) {
        double[] r = new double[9];
        r[0] = (a[4] * a[8] - a[5] * a[7]) / det;
        r[1] = (a[2] * a[7] - a[1] * a[8]) / det;
        r[2] = (a[1] * a[5] - a[2] * a[4]) / det;
        r[3] = (a[5] * a[6] - a[3] * a[8]) / det;
        r[4] = (a[0] * a[8] - a[2] * a[6]) / det;
        r[5] = (a[2] * a[3] - a[0] * a[5]) / det;
        r[6] = (a[3] * a[7] - a[4] * a[6]) / det;
        r[7] = (a[1] * a[6] - a[0] * a[7]) / det;
        r[8] = (a[0] * a[4] - a[1] * a[3]) / det;
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lattice other && Arrays.equals(m, other.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    @Override
    public String toString() {
        return "Lattice" + Arrays.deepToString(matrix());
    }
}
