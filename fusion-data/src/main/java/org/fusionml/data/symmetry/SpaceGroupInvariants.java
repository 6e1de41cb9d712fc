package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The invariants by which {@link SpaceGroupType} identifies a group: per-operation descriptors
 * (rotation type, axis and plane indices, screw components, reflection kinds) and, per rotation
 * label, the rank and index of the lattice spanned by its axes.
 */
final class SpaceGroupInvariants {
    private SpaceGroupInvariants() {}

    /**
     * The invariants of a group of operations (R, t) given in a primitive basis of its lattice, as
     * one string: equal for two groups of the same space-group type.
     */
    static String signature(List<int[]> rotations, List<double[]> translations) {
        Descriptors d = Descriptors.of(rotations, translations);
        Map<String, TreeSet<String>> normals = reflectionKindsByNormal(rotations, d);
        List<String> ops = new ArrayList<>();
        Map<String, List<int[]>> axesByLabel = new TreeMap<>();
        for (int k = 0; k < d.base().length; k++) {
            if (d.axis()[k] == null) {
                ops.add(d.base()[k]);
                continue;
            }
            int[] r = rotations.get(k);
            String label = d.base()[k];
            if (IntMath.det(r) == 1) {
                label += normals.getOrDefault(Arrays.toString(d.axis()[k]), new TreeSet<>());
            }
            String detail = "";
            if (isReflection(r) && d.base()[k].equals("g")) {
                detail = glideAlong(r, translations.get(k), d.axis(), d.base());
            }
            ops.add(label + "/" + d.index()[k] + detail);
            axesByLabel.computeIfAbsent(label, x -> new ArrayList<>()).add(d.axis()[k]);
        }
        ops.sort(null);
        StringBuilder sb = new StringBuilder(String.join(" ", ops));
        for (Map.Entry<String, List<int[]>> e : axesByLabel.entrySet()) {
            List<int[]> basis = IntMath.latticeBasis(e.getValue());
            sb.append(" | axes ")
                    .append(e.getKey())
                    .append(':')
                    .append(basis.size())
                    .append(':')
                    .append(latticeIndex(basis));
        }
        return sb.toString();
    }

    /**
     * Per-operation invariants, indexed like the operations.
     *
     * @param axis axis direction u (first non-zero component positive); null for 1 and -1
     * @param index |u . n| of the axis lattice and the plane the operation leaves invariant
     * @param base rotation type with its screw component ("n:k"), reflection kind (m, g, d),
     *     rotoinversion ("-n"), or "1" / "-1"
     */
    private record Descriptors(int[][] axis, int[] index, String[] base) {
        /** Describes every operation (R, t). */
        static Descriptors of(List<int[]> rotations, List<double[]> translations) {
            int count = rotations.size();
            int[][] axis = new int[count][];
            int[] index = new int[count];
            String[] base = new String[count];
            for (int k = 0; k < count; k++) {
                int[] r = rotations.get(k);
                int det = IntMath.det(r);
                int[] proper = det == 1 ? r : IntMath.negate(r);
                if (IntMath.isIdentity(proper)) {
                    base[k] = det == 1 ? "1" : "-1";
                    continue;
                }
                int n = order(proper);
                int[] u = direction(IntMath.kernelLine(minusIdentity(proper)));
                int[] s = cyclicSum(proper, n);
                axis[k] = u;
                index[k] = Math.abs(IntMath.dot(u, IntMath.rowLine(s)));
                if (det == 1) {
                    base[k] = n + ":" + screw(proper, translations.get(k), u, s, n);
                } else if (n == 2) {
                    base[k] = reflection(r, translations.get(k));
                } else {
                    base[k] = "-" + n;
                }
            }
            return new Descriptors(axis, index, base);
        }
    }

    /** Reflection kinds (m, g, d) whose normal lies along each axis direction, by direction. */
    private static Map<String, TreeSet<String>> reflectionKindsByNormal(
            List<int[]> rotations, Descriptors d) {
        Map<String, TreeSet<String>> normals = new HashMap<>();
        for (int k = 0; k < d.base().length; k++) {
            if (d.axis()[k] != null
                    && IntMath.det(rotations.get(k)) == -1
                    && d.index()[k] >= 0
                    && isReflection(rotations.get(k))) {
                normals.computeIfAbsent(Arrays.toString(d.axis()[k]), x -> new TreeSet<>())
                        .add(d.base()[k]);
            }
        }
        return normals;
    }

    /** Index of the lattice spanned by an echelon basis: volume, or gcd of the cross product. */
    private static int latticeIndex(List<int[]> basis) {
        if (basis.size() == 3) {
            return IntMath.volume(basis.get(0), basis.get(1), basis.get(2));
        } else if (basis.size() == 2) {
            int[] c = IntMath.cross(basis.get(0), basis.get(1));
            return IntMath.gcd(IntMath.gcd(c[0], c[1]), c[2]);
        } else {
            return 1;
        }
    }

    private static boolean isReflection(int[] r) {
        return IntMath.det(r) == -1 && IntMath.trace(r) == 1;
    }

    /** The axis direction with its first non-zero component positive. */
    static int[] direction(int[] u) {
        int first = u[0] != 0 ? u[0] : (u[1] != 0 ? u[1] : u[2]);
        return first < 0 ? IntMath.negate(u) : u;
    }

    private static int order(int[] proper) {
        int[] p = proper;
        for (int n = 1; n <= 6; n++) {
            if (IntMath.isIdentity(p)) {
                return n;
            }
            p = IntMath.multiply(p, proper);
        }
        throw new IllegalArgumentException("not a crystallographic rotation");
    }

    static int[] minusIdentity(int[] r) {
        int[] m = r.clone();
        m[0] -= 1;
        m[4] -= 1;
        m[8] -= 1;
        return m;
    }

    static int[] cyclicSum(int[] r, int n) {
        int[] s = new int[9];
        int[] p = IntMath.identity();
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < 9; q++) {
                s[q] += p[q];
            }
            p = IntMath.multiply(p, r);
        }
        return s;
    }

    /**
     * Screw component k (0..n-1) of a proper rotation: its intrinsic translation, taken along the
     * axis u oriented so that the rotation is right-handed, in units of the axis lattice's
     * projection, times n. S = sum R^i = u (x) c, so the intrinsic part of (R, t) is u (c . t) / n
     * and the projections of lattice translations are u gcd(c) Z / n.
     */
    static int screw(int[] r, double[] t, int[] u, int[] s, int n) {
        int i = u[0] != 0 ? 0 : (u[1] != 0 ? 1 : 2);
        int[] c = {s[3 * i] / u[i], s[3 * i + 1] / u[i], s[3 * i + 2] / u[i]};
        int sign = 1;
        if (n > 2) {
            int[] v =
                    Math.abs(u[0]) <= Math.abs(u[1]) && Math.abs(u[0]) <= Math.abs(u[2])
                            ? new int[] {1, 0, 0}
                            : (Math.abs(u[1]) <= Math.abs(u[2])
                                    ? new int[] {0, 1, 0}
                                    : new int[] {0, 0, 1});
            sign = IntMath.dot(u, IntMath.cross(v, IntMath.apply(r, v))) > 0 ? 1 : -1;
        }
        int g = IntMath.gcd(IntMath.gcd(c[0], c[1]), c[2]);
        double along = sign * (c[0] * t[0] + c[1] * t[1] + c[2] * t[2]) / g;
        double frac = along - Math.floor(along);
        return Math.floorMod((int) Math.round(frac * n), n);
    }

    /**
     * "m" if some lattice translate of the reflection is a pure mirror, "g" for a glide by half a
     * lattice vector, "d" for a glide by a quarter.
     */
    private static String reflection(int[] r, double[] t) {
        int[] twice = twiceIntrinsic(r, t);
        if (twice == null) {
            return "d";
        }
        return contains(plusIdentityLattice(r), twice) ? "m" : "g";
    }

    /**
     * The sorted labels of the symmetry axes in the glide plane along which a lattice translate of
     * the glide moves by half the axis period, e.g. "[2:0, g]" for the c-glides of Pccn.
     */
    private static String glideAlong(int[] r, double[] t, int[][] axis, String[] labels) {
        int[] twice = twiceIntrinsic(r, t);
        List<int[]> lattice = plusIdentityLattice(r);
        TreeSet<String> along = new TreeSet<>();
        for (int a = 0; a < axis.length; a++) {
            int[] u = axis[a];
            if (u == null || !IntMath.isZero(IntMath.apply(minusIdentity(r), u))) {
                continue; // identity/inversion, or not in the reflection plane
            }
            // w = u / 2 + (I + R) l / 2 for some lattice l  <=>  2w - u in (I + R) Z^3
            int[] diff = {twice[0] - u[0], twice[1] - u[1], twice[2] - u[2]};
            if (contains(lattice, diff)) {
                along.add(labels[a]);
            }
        }
        return along.toString();
    }

    /** 2w = (I + R) t rounded to integers, or null when it is not near an integer vector. */
    private static int[] twiceIntrinsic(int[] r, double[] t) {
        int[] twice = new int[3];
        for (int q = 0; q < 3; q++) {
            double x = t[q] + r[3 * q] * t[0] + r[3 * q + 1] * t[1] + r[3 * q + 2] * t[2];
            twice[q] = (int) Math.round(x);
            if (Math.abs(x - twice[q]) > 0.1) {
                return null;
            }
        }
        return twice;
    }

    /** Echelon basis of (I + R) Z^3. */
    private static List<int[]> plusIdentityLattice(int[] r) {
        int[] m = r.clone();
        m[0] += 1;
        m[4] += 1;
        m[8] += 1;
        return IntMath.latticeBasis(
                List.of(
                        new int[] {m[0], m[3], m[6]},
                        new int[] {m[1], m[4], m[7]},
                        new int[] {m[2], m[5], m[8]}));
    }

    private static boolean contains(List<int[]> echelon, int[] x) {
        int[] rest = x.clone();
        for (int[] b : echelon) {
            int lead = b[0] != 0 ? 0 : (b[1] != 0 ? 1 : 2);
            if (rest[lead] % b[lead] != 0) {
                return false;
            }
            int q = rest[lead] / b[lead];
            for (int k = 0; k < 3; k++) {
                rest[k] -= q * b[k];
            }
        }
        return IntMath.isZero(rest);
    }
}
