package org.fusionml.data.structure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An immutable periodic crystal structure: a lattice and its fully occupied sites.
 *
 * <p>Cartesian positions are computed once on construction, {@code r_i = f_i M} in Angstrom.
 */
public final class Structure {
    private final Lattice lattice;
    private final List<Site> sites;
    private final double[] cart; // [N, 3] flattened, Angstrom

    /**
     * Creates a structure.
     *
     * @throws IllegalArgumentException if there are no sites
     */
    public Structure(Lattice lattice, List<Site> sites) {
        this.lattice = Objects.requireNonNull(lattice, "lattice");
        if (sites == null || sites.isEmpty()) {
            throw new IllegalArgumentException("structure has no sites");
        }
        this.sites = List.copyOf(sites);
        this.cart = new double[3 * this.sites.size()];
        for (int i = 0; i < this.sites.size(); i++) {
            double[] r = lattice.toCartesian(this.sites.get(i).frac());
            System.arraycopy(r, 0, cart, 3 * i, 3);
        }
    }

    public Lattice lattice() {
        return lattice;
    }

    public List<Site> sites() {
        return sites;
    }

    /** Number of sites. */
    public int size() {
        return sites.size();
    }

    public Site site(int i) {
        return sites.get(i);
    }

    public Element element(int i) {
        return sites.get(i).element();
    }

    /** Atomic numbers of the sites, [N]. */
    public int[] atomicNumbers() {
        int[] z = new int[sites.size()];
        for (int i = 0; i < z.length; i++) {
            z[i] = sites.get(i).element().z();
        }
        return z;
    }

    /** Cartesian position of site {@code i}, Angstrom. */
    public double[] cartesian(int i) {
        return new double[] {cart[3 * i], cart[3 * i + 1], cart[3 * i + 2]};
    }

    /** Cartesian positions, [N, 3] flattened row-major, Angstrom (a copy). */
    public double[] cartesianFlat() {
        return cart.clone();
    }

    /** Fractional positions, [N, 3] flattened row-major (a copy). */
    public double[] fracFlat() {
        double[] f = new double[3 * sites.size()];
        for (int i = 0; i < sites.size(); i++) {
            for (int k = 0; k < 3; k++) {
                f[3 * i + k] = sites.get(i).frac(k);
            }
        }
        return f;
    }

    /** Element counts in order of atomic number, e.g. {@code {Mo=1, S=2}}. */
    public Map<Element, Integer> composition() {
        Map<Integer, Element> byZ = new TreeMap<>();
        Map<Element, Integer> counts = new HashMap<>();
        for (Site s : sites) {
            byZ.put(s.element().z(), s.element());
            counts.merge(s.element(), 1, Integer::sum);
        }
        Map<Element, Integer> out = new LinkedHashMap<>();
        for (Element e : byZ.values()) {
            out.put(e, counts.get(e));
        }
        return out;
    }

    /** Reduced-free formula in order of atomic number, e.g. {@code "Mo1 S2"}. */
    public String formula() {
        StringBuilder sb = new StringBuilder();
        composition()
                .forEach(
                        (e, n) -> {
                            if (sb.length() > 0) {
                                sb.append(' ');
                            }
                            sb.append(e.symbol()).append(n);
                        });
        return sb.toString();
    }

    /**
     * Returns a copy rigidly moved in Cartesian space: lattice vectors and positions rotated by the
     * proper rotation {@code rotation}, then positions shifted by {@code translation} (Angstrom).
     */
    public Structure transformed(double[][] rotation, double[] translation) {
        Lattice rotated = lattice.rotate(rotation);
        List<Site> moved = new ArrayList<>(sites.size());
        for (int i = 0; i < sites.size(); i++) {
            double[] r = cartesian(i);
            double[] q = new double[3];
            for (int k = 0; k < 3; k++) {
                q[k] =
                        rotation[k][0] * r[0]
                                + rotation[k][1] * r[1]
                                + rotation[k][2] * r[2]
                                + translation[k];
            }
            moved.add(
                    new Site(
                            sites.get(i).element(), rotated.toFractional(q), sites.get(i).label()));
        }
        return new Structure(rotated, moved);
    }

    /** Returns a copy whose site {@code k} is this structure's site {@code order[k]}. */
    public Structure permuted(int[] order) {
        if (order.length != sites.size()) {
            throw new IllegalArgumentException(
                    "permutation has " + order.length + " entries for " + sites.size() + " sites");
        }
        boolean[] seen = new boolean[order.length];
        List<Site> out = new ArrayList<>(order.length);
        for (int k : order) {
            if (k < 0 || k >= order.length || seen[k]) {
                throw new IllegalArgumentException("not a permutation: index " + k);
            }
            seen[k] = true;
            out.add(sites.get(k));
        }
        return new Structure(lattice, out);
    }

    /**
     * Returns the na x nb x nc supercell. Site {@code i} of image (p, q, r) becomes site {@code ((p
     * * nb + q) * nc + r) * N + i}: the first N sites are the original ones.
     */
    public Structure supercell(int na, int nb, int nc) {
        if (na < 1 || nb < 1 || nc < 1) {
            throw new IllegalArgumentException(
                    "supercell multiples must be >= 1, got " + na + "x" + nb + "x" + nc);
        }
        Lattice big = lattice.transform(new int[][] {{na, 0, 0}, {0, nb, 0}, {0, 0, nc}});
        List<Site> out = new ArrayList<>(sites.size() * na * nb * nc);
        for (int p = 0; p < na; p++) {
            for (int q = 0; q < nb; q++) {
                for (int r = 0; r < nc; r++) {
                    for (Site s : sites) {
                        double[] f = {
                            (s.frac(0) + p) / na, (s.frac(1) + q) / nb, (s.frac(2) + r) / nc
                        };
                        out.add(new Site(s.element(), f, s.label()));
                    }
                }
            }
        }
        return new Structure(big, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Structure s && lattice.equals(s.lattice) && sites.equals(s.sites);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lattice, sites);
    }

    @Override
    public String toString() {
        return "Structure(" + formula() + ", " + sites.size() + " sites)";
    }
}
