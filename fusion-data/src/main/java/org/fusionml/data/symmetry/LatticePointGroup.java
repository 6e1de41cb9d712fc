package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.List;

/**
 * The point group of a lattice: the unimodular integer matrices W (rows = images of the basis
 * vectors in that basis) that preserve the metric within a Cartesian tolerance.
 *
 * <p>Metric test (spglib's, angle tolerance off): every |W_i M| within symprec of |M_i|, and for
 * every pair of basis vectors the angle change obeys sin^2(d theta) * ((|a_j| + |a'_j|)(|a_k| +
 * |a'_k|) / 4) <= symprec^2.
 */
final class LatticePointGroup {
    private LatticePointGroup() {}

    /**
     * The lattice symmetries of the reduced basis {@code m} (rows, Angstrom); identity first.
     *
     * @return row-major 3x3 integer matrices W
     */
    static List<int[]> find(double[] m, double symprec) {
        double[] len = new double[3];
        for (int i = 0; i < 3; i++) {
            double[] b = LatticeReduction.row(new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, i, m);
            len[i] = Math.sqrt(LatticeReduction.dot(b, b));
        }
        List<List<int[]>> candidates =
                List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int a = -2; a <= 2; a++) {
            for (int b = -2; b <= 2; b++) {
                for (int c = -2; c <= 2; c++) {
                    if (a == 0 && b == 0 && c == 0) {
                        continue;
                    }
                    int[] n = {a, b, c};
                    double[] v = LatticeReduction.times(n, m);
                    double l = Math.sqrt(LatticeReduction.dot(v, v));
                    for (int i = 0; i < 3; i++) {
                        if (Math.abs(l - len[i]) <= symprec) {
                            candidates.get(i).add(n);
                        }
                    }
                }
            }
        }
        List<int[]> out = new ArrayList<>();
        for (int[] r0 : candidates.get(0)) {
            for (int[] r1 : candidates.get(1)) {
                for (int[] r2 : candidates.get(2)) {
                    int[] w = {r0[0], r0[1], r0[2], r1[0], r1[1], r1[2], r2[0], r2[1], r2[2]};
                    int det = LatticeReduction.det(w);
                    if ((det == 1 || det == -1) && sameMetric(w, m, len, symprec)) {
                        if (isIdentity(w)) {
                            out.add(0, w);
                        } else {
                            out.add(w);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static boolean sameMetric(int[] w, double[] m, double[] len, double symprec) {
        double[][] v = new double[3][];
        double[] l = new double[3];
        for (int i = 0; i < 3; i++) {
            v[i] = LatticeReduction.row(w, i, m);
            l[i] = Math.sqrt(LatticeReduction.dot(v[i], v[i]));
        }
        double[][] b = new double[3][];
        for (int i = 0; i < 3; i++) {
            b[i] = LatticeReduction.row(new int[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, i, m);
        }
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        for (int[] p : pairs) {
            int j = p[0];
            int k = p[1];
            double cos1 = LatticeReduction.dot(b[j], b[k]) / (len[j] * len[k]);
            double cos2 = LatticeReduction.dot(v[j], v[k]) / (l[j] * l[k]);
            double x =
                    cos1 * cos2
                            + Math.sqrt(Math.max(0, 1 - cos1 * cos1))
                                    * Math.sqrt(Math.max(0, 1 - cos2 * cos2));
            double sin2 = 1 - x * x;
            double lengthAve2 = (len[j] + l[j]) * (len[k] + l[k]) / 4;
            if (sin2 > 1e-12 && sin2 * lengthAve2 > symprec * symprec) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentity(int[] w) {
        return w[0] == 1 && w[4] == 1 && w[8] == 1 && w[1] == 0 && w[2] == 0 && w[3] == 0
                && w[5] == 0 && w[6] == 0 && w[7] == 0;
    }
}
