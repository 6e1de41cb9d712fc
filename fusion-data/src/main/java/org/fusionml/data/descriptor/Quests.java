package org.fusionml.data.descriptor;

import java.util.Arrays;
import org.fusionml.data.graph.NeighborList;
import org.fusionml.data.graph.NeighborSearch;
import org.fusionml.data.structure.Structure;

/**
 * The QUESTS descriptor of every atomic environment (Schwalbe-Koda et al., Nat. Commun. 16, 4014,
 * 2025; the package {@code dskoda/quests}): 2k - 1 numbers per atom, in 1/Angstrom.
 *
 * <p>With the smooth cutoff w(r) = (1 - (min(r, r_c) / r_c)^2)^2 and the k nearest neighbours j of
 * atom i (all periodic images, sorted by distance r_ij):
 *
 * <ul>
 *   <li>x1_j = w(r_ij) / r_ij for j = 1..k, nearest first; zero where fewer than k neighbours lie
 *       within r_c (a neighbour beyond r_c has w = 0, so padding and far neighbours agree);
 *   <li>x2: the k x k matrix R_jl = sqrt(w(r_ij) w(r_il)) / d_jl (d_jl the distance between
 *       neighbours j and l, zero on the diagonal and for padded slots), every row sorted ascending;
 *       the column means (sum over the k rows, divided by k) of sorted columns 1..k-1, largest
 *       column first.
 * </ul>
 *
 * <p>As in QUESTS, r_ij in x1 carries a guard of 1e-16 A and d_jl one of 1e-15 A. Which of two
 * neighbours at the same distance is the k-th is decided by the neighbour search order, so
 * environments whose k-th and (k+1)-th neighbours tie inside r_c are order dependent here as in
 * QUESTS.
 *
 * @param k neighbours per environment (QUESTS default 32)
 * @param cutoff r_c, Angstrom (QUESTS default 5)
 */
public record Quests(int k, double cutoff) {
    private static final double X1_GUARD = 1e-16;
    private static final double X2_GUARD = 1e-15;

    public Quests {
        if (k < 2) {
            throw new IllegalArgumentException("k (" + k + ") must be >= 2");
        }
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException(
                    "cutoff (" + cutoff + ") must be a positive number of Angstrom");
        }
    }

    /** QUESTS's defaults: k = 32, r_c = 5 A. */
    public static Quests defaults() {
        return new Quests(32, 5.0);
    }

    /** Length of one environment's descriptor: 2k - 1. */
    public int length() {
        return 2 * k - 1;
    }

    /** w(r) = (1 - (min(r, r_c) / r_c)^2)^2. */
    public double weight(double r) {
        double z = Math.min(r, cutoff) / cutoff;
        double s = 1 - z * z;
        return s * s;
    }

    /**
     * Descriptors of every atom, rows in site order.
     *
     * @return [atoms][2k - 1], 1/Angstrom: columns 0..k-1 are x1, k..2k-2 are x2
     */
    public double[][] compute(Structure structure) {
        NeighborList nl = NeighborSearch.find(structure, cutoff);
        double[][] out = new double[structure.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = environment(nl, i);
        }
        return out;
    }

    private double[] environment(NeighborList nl, int i) {
        int from = nl.offsets()[i];
        int count = nl.count(i);
        double[] d = nl.distances();
        // Nearest first; a stable sort keeps the search order among equal distances.
        Integer[] order = new Integer[count];
        for (int e = 0; e < count; e++) {
            order[e] = from + e;
        }
        Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
        int m = Math.min(k, count);

        double[] x = new double[2 * k - 1];
        double[] w = new double[m];
        double[] v = new double[3 * m];
        for (int j = 0; j < m; j++) {
            int e = order[j];
            double r = d[e] + X1_GUARD;
            x[j] = weight(r) / r;
            w[j] = weight(d[e]);
            System.arraycopy(nl.vectors(), 3 * e, v, 3 * j, 3);
        }

        double[][] rows = new double[k][k];
        for (int j = 0; j < m; j++) {
            for (int l = j + 1; l < m; l++) {
                double dx = v[3 * j] - v[3 * l];
                double dy = v[3 * j + 1] - v[3 * l + 1];
                double dz = v[3 * j + 2] - v[3 * l + 2];
                double r =
                        Math.sqrt(w[j] * w[l])
                                / (Math.sqrt(dx * dx + dy * dy + dz * dz) + X2_GUARD);
                rows[j][l] = r;
                rows[l][j] = r;
            }
        }
        for (double[] row : rows) {
            Arrays.sort(row);
        }
        for (int col = 1; col < k; col++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += rows[j][col];
            }
            x[k + (k - 1 - col)] = sum / k;
        }
        return x;
    }
}
