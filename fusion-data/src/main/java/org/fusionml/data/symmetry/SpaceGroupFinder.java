package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    public SpaceGroupFinder(double symprec) {
        if (!(symprec > 0) || !Double.isFinite(symprec)) {
            throw new IllegalArgumentException("symprec (" + symprec + ") must be > 0 Angstrom");
        }
        this.symprec = symprec;
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
        java.util.Set<String> rotations = new java.util.HashSet<>();
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
        int n = structure.size();
        int[] types = structure.atomicNumbers();
        double[] frac = wrap(structure.fracFlat());
        double[] m = matrix(structure.lattice());

        // 1. Pure translations of the input cell.
        int ref = referenceAtom(types);
        List<double[]> translations = new ArrayList<>();
        translations.add(new double[3]);
        for (int j = 0; j < n; j++) {
            if (j == ref || types[j] != types[ref]) {
                continue;
            }
            double[] t = new double[3];
            for (int k = 0; k < 3; k++) {
                t[k] = frac[3 * j + k] - frac[3 * ref + k];
                t[k] -= Math.rint(t[k]);
            }
            if (permutation(frac, types, m, IDENTITY, t, tol) != null) {
                translations.add(t);
            }
        }

        // 2. Primitive cell, reduced.
        int[] toPrimitive = new int[n];
        double[] basis = {
            1, 0, 0, 0, 1, 0, 0, 0, 1
        }; // primitive rows in input fractional coordinates
        double[] pm; // primitive lattice rows
        double[] pfrac; // primitive sites
        int[] ptypes;
        if (translations.size() == 1) {
            pm = m;
            pfrac = frac;
            ptypes = types;
            for (int i = 0; i < n; i++) {
                toPrimitive[i] = i;
            }
        } else {
            // The translations form a group of order |T|, so |T| t is an integer vector: snap the
            // tolerance-blurred t onto it.
            int order = translations.size();
            for (double[] t : translations) {
                for (int k = 0; k < 3; k++) {
                    t[k] = Math.rint(t[k] * order) / order;
                }
            }
            basis = primitiveBasis(translations, m);
            pm = multiply(basis, m);
            double[] inv = inverse(basis);
            List<double[]> sites = new ArrayList<>();
            List<Integer> siteTypes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                double[] f = rowTimes(frac, 3 * i, inv);
                wrapInPlace(f);
                int found = -1;
                for (int s = 0; s < sites.size() && found < 0; s++) {
                    if (siteTypes.get(s) == types[i] && distance(sites.get(s), 0, f, pm) < tol) {
                        found = s;
                    }
                }
                if (found < 0) {
                    found = sites.size();
                    sites.add(f);
                    siteTypes.add(types[i]);
                }
                toPrimitive[i] = found;
            }
            pfrac = new double[3 * sites.size()];
            ptypes = new int[sites.size()];
            for (int s = 0; s < sites.size(); s++) {
                System.arraycopy(sites.get(s), 0, pfrac, 3 * s, 3);
                ptypes[s] = siteTypes.get(s);
            }
        }
        int[] reduction = LatticeReduction.reduce(pm);
        double[] rm = multiply(toDouble(reduction), pm);
        double[] rInv = inverse(toDouble(reduction));
        double[] rfrac = new double[pfrac.length];
        for (int s = 0; s < ptypes.length; s++) {
            double[] f = rowTimes(pfrac, 3 * s, rInv);
            wrapInPlace(f);
            System.arraycopy(f, 0, rfrac, 3 * s, 3);
        }

        // 3-4. Lattice point group, then the space-group operations.
        int pref = referenceAtom(ptypes);
        int np = ptypes.length;
        List<SymmetryOperation> ops = new ArrayList<>();
        int compatible = 0;
        int[] parent = new int[np]; // orbits under the operations of the input cell
        int[] orbitParent = new int[np]; // orbits under all operations of the primitive cell
        for (int s = 0; s < np; s++) {
            parent[s] = s;
            orbitParent[s] = s;
        }
        // Reduced-primitive fractional coordinates f_r relate to input ones by f_in = P^T f_r with
        // P = reduction x basis; an operation R acts on input coordinates as P^T R P^-T.
        double[] p = multiply(toDouble(reduction), basis);
        for (int[] w : LatticePointGroup.find(rm, tol)) {
            int[] r = transpose(w);
            double[] image = apply(r, rfrac, 3 * pref, new double[3]);
            for (int j = 0; j < np; j++) {
                if (ptypes[j] != ptypes[pref]) {
                    continue;
                }
                double[] t = new double[3];
                for (int k = 0; k < 3; k++) {
                    t[k] = rfrac[3 * j + k] - image[k];
                    t[k] -= Math.floor(t[k]);
                }
                int[] perm = permutation(rfrac, ptypes, rm, r, t, tol);
                if (perm != null) {
                    ops.add(new SymmetryOperation(r, t));
                    boolean inInputCell = isIntegral(inputRotation(p, r));
                    if (inInputCell) {
                        compatible++;
                    }
                    for (int s = 0; s < np; s++) {
                        union(orbitParent, s, perm[s]);
                        if (inInputCell) {
                            union(parent, s, perm[s]);
                        }
                    }
                    break;
                }
            }
        }

        // 5. Orbits of the input sites.
        int[] orbits = new int[n];
        int[] firstOfOrbit = new int[np];
        Arrays.fill(firstOfOrbit, -1);
        for (int i = 0; i < n; i++) {
            int root = find(orbitParent, toPrimitive[i]);
            if (firstOfOrbit[root] < 0) {
                firstOfOrbit[root] = i;
            }
            orbits[i] = firstOfOrbit[root];
        }
        int[] equivalent = new int[n];
        int[] firstOfRoot = new int[np];
        Arrays.fill(firstOfRoot, -1);
        List<List<Integer>> classes = new ArrayList<>();
        int[] classOfRoot = new int[np];
        Arrays.fill(classOfRoot, -1);
        for (int i = 0; i < n; i++) {
            int root = find(parent, toPrimitive[i]);
            if (firstOfRoot[root] < 0) {
                firstOfRoot[root] = i;
                classOfRoot[root] = classes.size();
                classes.add(new ArrayList<>());
            }
            equivalent[i] = firstOfRoot[root];
            classes.get(classOfRoot[root]).add(i);
        }
        List<int[]> classArrays =
                classes.stream()
                        .map(c -> c.stream().mapToInt(Integer::intValue).toArray())
                        .toList();
        return new SymmetryDataset(
                tol,
                compatible * translations.size(),
                translations.size(),
                latticeOf(rm),
                List.copyOf(ops),
                toPrimitive,
                equivalent,
                orbits,
                classArrays);
    }

    private static final int[] IDENTITY = {1, 0, 0, 0, 1, 0, 0, 0, 1};

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
    private static int[] permutation(
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
    private static double distance(double[] frac, int at, double[] f, double[] m) {
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
    private static int referenceAtom(int[] types) {
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

    /** Shortest vectors first, then {@link PrimitiveCell#basis(List, int)}. */
    private static double[] primitiveBasis(List<double[]> translations, double[] m) {
        List<double[]> cand = PrimitiveCell.candidates(translations);
        cand.sort((u, v) -> Double.compare(cartLength(u, m), cartLength(v, m)));
        return PrimitiveCell.basis(cand, translations.size());
    }

    private static double cartLength(double[] f, double[] m) {
        double x = f[0] * m[0] + f[1] * m[3] + f[2] * m[6];
        double y = f[0] * m[1] + f[1] * m[4] + f[2] * m[7];
        double z = f[0] * m[2] + f[1] * m[5] + f[2] * m[8];
        return Math.sqrt(x * x + y * y + z * z);
    }

    private static int find(int[] parent, int x) {
        while (parent[x] != x) {
            parent[x] = parent[parent[x]];
            x = parent[x];
        }
        return x;
    }

    private static void union(int[] parent, int a, int b) {
        int ra = find(parent, a);
        int rb = find(parent, b);
        if (ra != rb) {
            parent[Math.max(ra, rb)] = Math.min(ra, rb);
        }
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

    private static void wrapInPlace(double[] v) {
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

    private static double[] rowTimes(double[] v, int at, double[] m) {
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

    private static double[] toDouble(int[] a) {
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
