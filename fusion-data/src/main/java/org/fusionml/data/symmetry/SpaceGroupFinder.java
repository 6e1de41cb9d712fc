package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fusionml.data.Ranges;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Structure;

/**
 * Finds the space-group operations and symmetry-equivalent sites of a periodic structure, as spglib
 * does (Togo, Shinohara and Tanaka, Sci. Technol. Adv. Mater. Meth. 4, 2384822, 2024).
 *
 * <ol>
 *   <li>Pure translations: vectors t with f_i + t on a site of the same species for every i; they
 *       define the primitive cell (index = number of translations).
 *   <li>The primitive basis is reduced (shortest vectors, size-reduced) so that every lattice
 *       symmetry has integer coefficients in [-2, 2].
 *   <li>Lattice point group: unimodular integer W whose rows keep every basis length within symprec
 *       and every angle within sin^2(d theta) |a_j||a_k| <= symprec^2 (spglib's metric test with
 *       angle_tolerance off).
 *   <li>For each lattice rotation R, a translation t mapping one reference site onto a site of the
 *       same species such that every site lands within symprec (Cartesian) of a site of its own
 *       species.
 *   <li>Orbits: the union of the site permutations of all operations and translations.
 * </ol>
 */
public final class SpaceGroupFinder {
    /** spglib's default tolerance, Angstrom. */
    public static final double DEFAULT_SYMPREC = 0.01;

    /** {@link #DEFAULT_SYMPREC} as text (command-line defaults). */
    public static final String DEFAULT_SYMPREC_TEXT = "0.01";

    private final double symprec;

    /**
     * Largest accepted tolerance, Angstrom: half of the shortest interatomic distance any reader
     * accepts is 0.05 A, and real bonds are longer than 0.7 A, so a tolerance beyond 1 A merges
     * atoms that are not images of one another; spglib's own default is 1e-5 A.
     */
    public static final double MAX_SYMPREC = 1.0;

    /**
     * @param symprec Cartesian tolerance in (0, {@link #MAX_SYMPREC}] Angstrom
     */
    public SpaceGroupFinder(double symprec) {
        this.symprec = checkSymprec("symprec", symprec);
    }

    /**
     * {@code symprec} when it is in (0, {@link #MAX_SYMPREC}] Angstrom.
     *
     * @param key the setting's name for the message ({@code scores.symprec}, {@code --symprec})
     * @throws IllegalArgumentException naming {@code key}, the value and the range
     */
    public static double checkSymprec(String key, double symprec) {
        return Ranges.inLeftOpen(key, symprec, 0, MAX_SYMPREC, "Angstrom");
    }

    public SpaceGroupFinder() {
        this(DEFAULT_SYMPREC);
    }

    public double symprec() {
        return symprec;
    }

    /** Tolerance reduction per retry when the operations found do not form a group (spglib's). */
    private static final double REDUCE_RATE = 0.95;

    private static final int MAX_ATTEMPTS = 100;

    /**
     * Finds the symmetry of {@code structure}. Near the tolerance, an operation can be accepted
     * while its inverse or a product is not (errors add up); then the rotations do not form a
     * group, and, as spglib does, the search is repeated with the tolerance reduced by 5 % until
     * they do.
     */
    public SymmetryDataset find(Structure structure) {
        double tol = symprec;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++, tol *= REDUCE_RATE) {
            SymmetryDataset d = find(structure, tol);
            if (isGroup(d.operations())) {
                return d;
            }
        }
        throw new IllegalStateException(
                "no tolerance between " + symprec + " and " + tol + " A gives a symmetry group");
    }

    /** True if the rotations are closed under multiplication. */
    static boolean isGroup(List<SymmetryOperation> ops) {
        Set<String> rotations = new HashSet<>();
        for (SymmetryOperation o : ops) {
            rotations.add(Arrays.toString(o.rotation()));
        }
        for (SymmetryOperation a : ops) {
            for (SymmetryOperation b : ops) {
                int[] x = a.rotation();
                int[] y = b.rotation();
                int[] c = new int[9];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        c[3 * i + j] =
                                x[3 * i] * y[j] + x[3 * i + 1] * y[3 + j] + x[3 * i + 2] * y[6 + j];
                    }
                }
                if (!rotations.contains(Arrays.toString(c))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static SymmetryDataset find(Structure structure, double tol) {
        int[] types = structure.atomicNumbers();
        double[] frac = wrap(structure.fracFlat());
        double[] m = matrix(structure.lattice());
        // 1-2. Pure translations of the input cell, primitive cell, reduced.
        ReducedPrimitiveCell cell = ReducedPrimitiveCell.of(frac, types, m, tol);
        // 3-4. Lattice point group, then the space-group operations.
        Operations found = operations(cell, tol);
        // 5. Orbits of the input sites.
        int[] toPrimitive = cell.toPrimitive();
        SiteOrbits.Classes equivalence = found.inInputCell().classes(toPrimitive);
        return new SymmetryDataset(
                tol,
                found.compatible() * cell.latticePoints(),
                cell.latticePoints(),
                latticeOf(cell.lattice()),
                List.copyOf(found.ops()),
                toPrimitive,
                equivalence.equivalent(),
                found.all().representatives(toPrimitive),
                equivalence.classes());
    }

    /**
     * Space-group operations of a reduced primitive cell, with the orbits they generate.
     *
     * @param ops one operation per lattice rotation that has a matching translation
     * @param compatible number of operations whose rotation is integral in the input basis
     * @param inInputCell orbits of the primitive sites under the operations of the input cell
     * @param all orbits of the primitive sites under all operations of the primitive cell
     */
    private record Operations(
            List<SymmetryOperation> ops, int compatible, SiteOrbits inInputCell, SiteOrbits all) {}

    /**
     * For each rotation of the lattice point group, the first translation that maps the reference
     * site onto a site of its species and every site onto one of its own species; merges the orbits
     * of the sites they permute.
     */
    private static Operations operations(ReducedPrimitiveCell cell, double tol) {
        int np = cell.types().length;
        int pref = referenceAtom(cell.types());
        List<SymmetryOperation> ops = new ArrayList<>();
        int compatible = 0;
        SiteOrbits inputCellOrbits = new SiteOrbits(np);
        SiteOrbits allOrbits = new SiteOrbits(np);
        // Reduced-primitive fractional coordinates f_r relate to input ones by f_in = P^T f_r with
        // P = reduction x basis; an operation R acts on input coordinates as P^T R P^-T.
        for (int[] w : LatticePointGroup.find(cell.lattice(), tol)) {
            int[] r = transpose(w);
            Match match = matchingTranslation(cell, r, pref, tol);
            if (match == null) {
                continue;
            }
            ops.add(new SymmetryOperation(r, match.translation()));
            boolean inInputCell = isIntegral(inputRotation(cell.toInput(), r));
            allOrbits.merge(match.permutation());
            if (inInputCell) {
                compatible++;
                inputCellOrbits.merge(match.permutation());
            }
        }
        return new Operations(ops, compatible, inputCellOrbits, allOrbits);
    }

    /**
     * A translation completing a rotation to a space-group operation.
     *
     * @param translation t, fractional, each component reduced by its floor [3]
     * @param permutation the site of each site's image, [sites]
     */
    private record Match(double[] translation, int[] permutation) {}

    /**
     * The first translation t, taking the reference site {@code pref} onto a site j of its species,
     * for which x -> R x + t maps every site within tol onto a site of its species; null if none.
     */
    private static Match matchingTranslation(
            ReducedPrimitiveCell cell, int[] r, int pref, double tol) {
        double[] rfrac = cell.frac();
        int[] ptypes = cell.types();
        double[] image = apply(r, rfrac, 3 * pref, new double[3]);
        for (int j = 0; j < ptypes.length; j++) {
            if (ptypes[j] != ptypes[pref]) {
                continue;
            }
            double[] t = new double[3];
            for (int k = 0; k < 3; k++) {
                t[k] = rfrac[3 * j + k] - image[k];
                t[k] -= Math.floor(t[k]);
            }
            int[] perm = permutation(rfrac, ptypes, cell.lattice(), r, t, tol);
            if (perm != null) {
                return new Match(t, perm);
            }
        }
        return null;
    }

    static final int[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

    /** R in input-cell fractional coordinates: P^T R P^-T (column convention). */
    private static double[] inputRotation(double[] p, int[] r) {
        double[] pt = PrimitiveCell.transpose(p);
        return multiply(multiply(pt, toDouble(r)), inverse(pt));
    }

    private static boolean isIntegral(double[] a) {
        for (double x : a) {
            if (Math.abs(x - Math.rint(x)) > 1e-6) {
                return false;
            }
        }
        return true;
    }

    /**
     * The site permutation of x -> R x + t, or null if some site has no partner of its own species
     * within tol.
     */
    static int[] permutation(
            double[] frac, int[] types, double[] m, int[] r, double[] t, double tol) {
        int n = types.length;
        int[] perm = new int[n];
        double[] image = new double[3];
        for (int i = 0; i < n; i++) {
            apply(r, frac, 3 * i, image);
            for (int k = 0; k < 3; k++) {
                image[k] += t[k];
            }
            int found = -1;
            for (int j = 0; j < n && found < 0; j++) {
                if (types[j] == types[i] && distance(frac, 3 * j, image, m) < tol) {
                    found = j;
                }
            }
            if (found < 0) {
                return null;
            }
            perm[i] = found;
        }
        return perm;
    }

    /** Cartesian distance between frac[at..at+2] and f, nearest image by rounding. */
    static double distance(double[] frac, int at, double[] f, double[] m) {
        double a = frac[at] - f[0];
        double b = frac[at + 1] - f[1];
        double c = frac[at + 2] - f[2];
        a -= Math.rint(a);
        b -= Math.rint(b);
        c -= Math.rint(c);
        double x = a * m[0] + b * m[3] + c * m[6];
        double y = a * m[1] + b * m[4] + c * m[7];
        double z = a * m[2] + b * m[5] + c * m[8];
        return Math.sqrt(x * x + y * y + z * z);
    }

    private static double[] apply(int[] r, double[] frac, int at, double[] out) {
        for (int k = 0; k < 3; k++) {
            out[k] =
                    r[3 * k] * frac[at] + r[3 * k + 1] * frac[at + 1] + r[3 * k + 2] * frac[at + 2];
        }
        return out;
    }

    /** The atom of the least frequent species (first of them): fewest candidate translations. */
    static int referenceAtom(int[] types) {
        int best = 0;
        int bestCount = Integer.MAX_VALUE;
        for (int i = 0; i < types.length; i++) {
            int count = 0;
            for (int t : types) {
                if (t == types[i]) {
                    count++;
                }
            }
            if (count < bestCount) {
                best = i;
                bestCount = count;
            }
        }
        return best;
    }

    // ---- small 3x3 helpers (row-major)
    // -----------------------------------------------------------

    static double[] matrix(Lattice l) {
        double[] m = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                m[3 * i + k] = l.get(i, k);
            }
        }
        return m;
    }

    private static Lattice latticeOf(double[] m) {
        return Lattice.of(
                new double[][] {{m[0], m[1], m[2]}, {m[3], m[4], m[5]}, {m[6], m[7], m[8]}});
    }

    private static double[] wrap(double[] f) {
        double[] out = f.clone();
        for (int q = 0; q < out.length; q += 3) {
            double[] v = {out[q], out[q + 1], out[q + 2]};
            wrapInPlace(v);
            System.arraycopy(v, 0, out, q, 3);
        }
        return out;
    }

    static void wrapInPlace(double[] v) {
        for (int k = 0; k < 3; k++) {
            v[k] -= Math.floor(v[k]);
            if (v[k] >= 1) {
                v[k] = 0;
            }
        }
    }

    static double[] multiply(double[] a, double[] b) {
        double[] c = new double[9];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[3 * i + j] = a[3 * i] * b[j] + a[3 * i + 1] * b[3 + j] + a[3 * i + 2] * b[6 + j];
            }
        }
        return c;
    }

    static double[] rowTimes(double[] v, int at, double[] m) {
        double[] out = new double[3];
        for (int j = 0; j < 3; j++) {
            out[j] = v[at] * m[j] + v[at + 1] * m[3 + j] + v[at + 2] * m[6 + j];
        }
        return out;
    }

    static double determinant(double[] a) {
        return a[0] * (a[4] * a[8] - a[5] * a[7])
                - a[1] * (a[3] * a[8] - a[5] * a[6])
                + a[2] * (a[3] * a[7] - a[4] * a[6]);
    }

    static double[] inverse(double[] a) {
        double det = determinant(a);
        return new double[] {
            (a[4] * a[8] - a[5] * a[7]) / det, (a[2] * a[7] - a[1] * a[8]) / det,
                    (a[1] * a[5] - a[2] * a[4]) / det,
            (a[5] * a[6] - a[3] * a[8]) / det, (a[0] * a[8] - a[2] * a[6]) / det,
                    (a[2] * a[3] - a[0] * a[5]) / det,
            (a[3] * a[7] - a[4] * a[6]) / det, (a[1] * a[6] - a[0] * a[7]) / det,
                    (a[0] * a[4] - a[1] * a[3]) / det,
        };
    }

    static double[] toDouble(int[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static int[] transpose(int[] w) {
        return new int[] {w[0], w[3], w[6], w[1], w[4], w[7], w[2], w[5], w[8]};
    }
}
