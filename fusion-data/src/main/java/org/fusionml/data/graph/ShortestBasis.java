package org.fusionml.data.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.fusionml.data.structure.Lattice;

/**
 * The three shortest linearly independent translations v_1, v_2, v_3 of a lattice (its successive
 * minima), oriented as ComFormer orients them (Yan, Fu, Qian and Ji, "Complete and Efficient Graph
 * Transformers for Crystal Material Property Prediction", ICLR 2024; the lattice correction of its
 * code): v_1 is the shortest translation, v_2 the shortest one not collinear with v_1, v_3 the
 * shortest one not coplanar with them; v_2 and v_3 are negated where their angle with v_1 is
 * obtuse, then all three are negated if they form a left-handed system.
 *
 * <p>Unlike the cell's own a, b, c, this basis does not depend on which basis of the lattice a file
 * happens to use, and lengths and angles computed from it are invariant under rotations and
 * translations of the crystal. A supercell is a different lattice and has a different basis.
 *
 * <p>Ties (translations of equal length, as a and b of a tetragonal cell) are broken by the integer
 * coefficients, larger first in lexicographic order, so the choice depends on the lattice alone and
 * not on round-off in Cartesian coordinates: lengths within {@value #TIE} relative count as equal.
 * Angles within {@value #ORTHOGONAL} of a right angle (in cosine) count as right angles and are not
 * flipped. The search enumerates translations up to the longest vector of a pairwise-reduced basis
 * (the k-th minimum is never longer than the k-th shortest vector of any basis).
 *
 * @param images [3][3], v_k = images[k] . (a, b, c), integer coefficients in the cell's lattice
 *     vectors
 * @param vectors [3][3], Cartesian v_k, Angstrom
 */
public record ShortestBasis(int[][] images, double[][] vectors) {
    /** Relative length difference below which two translations are tied. */
    static final double TIE = 1e-9;

    /** |cos| below which two translations count as perpendicular. */
    static final double ORTHOGONAL = 1e-9;

    /** Most translations the search may enumerate. */
    static final long MAX_CANDIDATES = 5_000_000;

    public ShortestBasis {
        images = new int[][] {images[0].clone(), images[1].clone(), images[2].clone()};
        vectors = new double[][] {vectors[0].clone(), vectors[1].clone(), vectors[2].clone()};
    }

    /** Integer coefficients of v_1, v_2, v_3 in a, b, c (a copy). */
    @Override
    public int[][] images() {
        return new int[][] {images[0].clone(), images[1].clone(), images[2].clone()};
    }

    /** Cartesian v_1, v_2, v_3, Angstrom (a copy). */
    @Override
    public double[][] vectors() {
        return new double[][] {vectors[0].clone(), vectors[1].clone(), vectors[2].clone()};
    }

    /** The oriented shortest basis of {@code lattice}. */
    public static ShortestBasis of(Lattice lattice) {
        double[][] m = lattice.matrix();
        long[][] t = reducedTransform(m);
        double[][] reduced = new double[3][];
        for (int i = 0; i < 3; i++) {
            reduced[i] = combine(t[i], m);
        }
        double radius = 0;
        for (double[] b : reduced) {
            radius = Math.max(radius, norm(b));
        }
        radius *= 1 + 1e-9;
        double volume = lattice.volume();
        long[] bound = new long[3];
        long count = 1;
        for (int k = 0; k < 3; k++) {
            double spacing = volume / norm(cross(reduced[(k + 1) % 3], reduced[(k + 2) % 3]));
            bound[k] = (long) Math.floor(radius / spacing + 1e-9);
            count *= 2 * bound[k] + 1;
            if (count > MAX_CANDIDATES) {
                throw new IllegalArgumentException(
                        "lattice "
                                + Arrays.deepToString(m)
                                + " is too elongated to find its shortest translations");
            }
        }
        List<Candidate> found = new ArrayList<>();
        for (long p = -bound[0]; p <= bound[0]; p++) {
            for (long q = -bound[1]; q <= bound[1]; q++) {
                for (long r = -bound[2]; r <= bound[2]; r++) {
                    if (p == 0 && q == 0 && r == 0) {
                        continue;
                    }
                    int[] n = new int[3];
                    for (int j = 0; j < 3; j++) {
                        n[j] = Math.toIntExact(p * t[0][j] + q * t[1][j] + r * t[2][j]);
                    }
                    double[] v = combine(n, m);
                    double length = norm(v);
                    if (length <= radius) {
                        found.add(new Candidate(n, v, length));
                    }
                }
            }
        }
        List<Candidate> ordered = ordered(found);
        Candidate v1 = ordered.get(0);
        Candidate v2 = null;
        Candidate v3 = null;
        for (Candidate c : ordered) {
            if (v2 == null) {
                if (!isZero(crossInt(v1.image, c.image))) {
                    v2 = c;
                }
            } else if (determinant(v1.image, v2.image, c.image) != 0) {
                v3 = c;
                break;
            }
        }
        if (v3 == null) {
            throw new IllegalStateException(
                    "no three independent translations found for " + Arrays.deepToString(m));
        }
        if (cos(v1.vector, v2.vector) < -ORTHOGONAL) {
            v2 = v2.negated();
        }
        if (cos(v1.vector, v3.vector) < -ORTHOGONAL) {
            v3 = v3.negated();
        }
        // the sign of det[v1; v2; v3] is that of det(images) det(M), exact in integers
        long det = determinant(v1.image, v2.image, v3.image);
        if (det * Math.signum(determinant(m)) < 0) {
            v1 = v1.negated();
            v2 = v2.negated();
            v3 = v3.negated();
        }
        return new ShortestBasis(
                new int[][] {v1.image, v2.image, v3.image},
                new double[][] {v1.vector, v2.vector, v3.vector});
    }

    /** |v_1|, |v_2|, |v_3|, Angstrom. */
    public double[] lengths() {
        return new double[] {norm(vectors[0]), norm(vectors[1]), norm(vectors[2])};
    }

    /**
     * cos(v_2, v_3), cos(v_1, v_3), cos(v_1, v_2): the cosines of the basis angles alpha, beta,
     * gamma, in the order of {@link Lattice#angles()}.
     */
    public double[] cosines() {
        return new double[] {
            cos(vectors[1], vectors[2]), cos(vectors[0], vectors[2]), cos(vectors[0], vectors[1])
        };
    }

    /**
     * cos(r, v_k) for k = 1, 2, 3.
     *
     * @param r a non-zero Cartesian vector, Angstrom
     */
    public double[] cosinesWith(double[] r) {
        return new double[] {cos(r, vectors[0]), cos(r, vectors[1]), cos(r, vectors[2])};
    }

    /** A translation: integer coefficients, Cartesian vector and length. */
    private record Candidate(int[] image, double[] vector, double length) {
        Candidate negated() {
            return new Candidate(
                    new int[] {-image[0], -image[1], -image[2]},
                    new double[] {-vector[0], -vector[1], -vector[2]},
                    length);
        }
    }

    /**
     * By length; runs of lengths within {@link #TIE} of the run's first are ordered by image,
     * larger first (lexicographic), so the order does not hang on round-off.
     */
    private static List<Candidate> ordered(List<Candidate> found) {
        List<Candidate> byLength = new ArrayList<>(found);
        byLength.sort(Comparator.comparingDouble(Candidate::length));
        Comparator<Candidate> byImage =
                Comparator.<Candidate>comparingInt(c -> c.image[0])
                        .thenComparingInt(c -> c.image[1])
                        .thenComparingInt(c -> c.image[2])
                        .reversed();
        List<Candidate> out = new ArrayList<>(byLength.size());
        int start = 0;
        while (start < byLength.size()) {
            double first = byLength.get(start).length;
            int end = start + 1;
            while (end < byLength.size() && byLength.get(end).length - first <= TIE * first) {
                end++;
            }
            List<Candidate> run = new ArrayList<>(byLength.subList(start, end));
            run.sort(byImage);
            out.addAll(run);
            start = end;
        }
        return out;
    }

    /**
     * The integer matrix T whose rows combine the rows of {@code m} into a pairwise-reduced basis:
     * no vector can be shortened by adding an integer multiple of another.
     */
    private static long[][] reducedTransform(double[][] m) {
        long[][] t = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        double[][] b = {m[0].clone(), m[1].clone(), m[2].clone()};
        boolean changed = true;
        for (int round = 0; changed && round < 10_000; round++) {
            changed = false;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    if (i == j) {
                        continue;
                    }
                    double q = Math.rint(dot(b[i], b[j]) / dot(b[j], b[j]));
                    if (q == 0) {
                        continue;
                    }
                    double[] shorter = new double[3];
                    for (int k = 0; k < 3; k++) {
                        shorter[k] = b[i][k] - q * b[j][k];
                    }
                    if (dot(shorter, shorter) < dot(b[i], b[i]) * (1 - 1e-12)) {
                        b[i] = shorter;
                        for (int k = 0; k < 3; k++) {
                            t[i][k] -= (long) q * t[j][k];
                        }
                        changed = true;
                    }
                }
            }
        }
        return t;
    }

    private static double[] combine(long[] n, double[][] m) {
        double[] v = new double[3];
        for (int k = 0; k < 3; k++) {
            v[k] = n[0] * m[0][k] + n[1] * m[1][k] + n[2] * m[2][k];
        }
        return v;
    }

    private static double[] combine(int[] n, double[][] m) {
        return combine(new long[] {n[0], n[1], n[2]}, m);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    private static double cos(double[] a, double[] b) {
        return dot(a, b) / (norm(a) * norm(b));
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {
            a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
        };
    }

    private static long[] crossInt(int[] a, int[] b) {
        return new long[] {
            (long) a[1] * b[2] - (long) a[2] * b[1],
            (long) a[2] * b[0] - (long) a[0] * b[2],
            (long) a[0] * b[1] - (long) a[1] * b[0]
        };
    }

    private static boolean isZero(long[] v) {
        return v[0] == 0 && v[1] == 0 && v[2] == 0;
    }

    private static long determinant(int[] a, int[] b, int[] c) {
        long[] bc = crossInt(b, c);
        return a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2];
    }

    private static double determinant(double[][] m) {
        return dot(m[0], cross(m[1], m[2]));
    }
}
