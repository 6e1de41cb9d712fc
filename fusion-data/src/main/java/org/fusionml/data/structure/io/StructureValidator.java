package org.fusionml.data.structure.io;

import java.util.Locale;
import org.fusionml.data.graph.NeighborList;
import org.fusionml.data.graph.NeighborSearch;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Structure;

/**
 * Physical sanity checks every reader applies to what it builds: a cell of finite size that spans
 * three dimensions, fractional coordinates that still name a position, atoms apart.
 */
public final class StructureValidator {
    /** Two atoms (any periodic images) closer than this are rejected, Angstrom. */
    public static final double MIN_DISTANCE = 0.1;

    /**
     * Longest accepted lattice vector, Angstrom. Slab and molecule cells with vacuum reach about
     * 100 A; a 1 um cell is no crystal's repeat unit, and its neighbour searches would scan nothing
     * but vacuum.
     */
    public static final double MAX_LENGTH = 1e4;

    /**
     * Smallest accepted ratio V / (a b c) of the cell volume to the product of its lengths (1 for a
     * cube, sin(gamma) for a prism): below it the three lattice vectors are coplanar to within
     * round-off of the lengths.
     */
    public static final double MIN_VOLUME_RATIO = 1e-6;

    /**
     * Largest accepted |fractional coordinate|. A double carries 16 digits; at 1e6 cells away a
     * position keeps 1e-10 of a cell (1e-6 A in a 1e4 A cell), beyond it wrapping into the cell
     * loses the position (1e300 wraps to 0 exactly).
     */
    public static final double MAX_FRACTIONAL = 1e6;

    private StructureValidator() {}

    /**
     * Checks the cell ({@link #checkCell}), that every fractional coordinate is within {@link
     * #MAX_FRACTIONAL}, and that no two atoms, periodic images included, are closer than {@link
     * #MIN_DISTANCE}.
     *
     * @throws IllegalArgumentException naming the lattice vector, the site or the two sites
     */
    public static Structure check(Structure s) {
        checkCell(s.lattice());
        for (int i = 0; i < s.size(); i++) {
            for (int k = 0; k < 3; k++) {
                double f = s.site(i).frac(k);
                if (!(Math.abs(f) <= MAX_FRACTIONAL)) {
                    throw new IllegalArgumentException(
                            String.format(
                                    Locale.ROOT,
                                    "site %d (%s) has fractional coordinate %s = %g, beyond"
                                            + " +-%.0e: the position is lost to round-off",
                                    i,
                                    s.site(i).label(),
                                    "xyz".charAt(k),
                                    f,
                                    MAX_FRACTIONAL));
                }
            }
        }
        NeighborList close = NeighborSearch.find(s, MIN_DISTANCE);
        for (int i = 0; i < close.numAtoms(); i++) {
            int from = close.offsets()[i];
            if (from < close.offsets()[i + 1]) {
                int j = close.neighbors()[from];
                throw new IllegalArgumentException(
                        String.format(
                                "sites %d (%s) and %d (%s) are %.4f A apart, closer than %.1f A",
                                i,
                                s.site(i).label(),
                                j,
                                s.site(j).label(),
                                close.distances()[from],
                                MIN_DISTANCE));
            }
        }
        return s;
    }

    /**
     * Checks that every lattice vector is at most {@link #MAX_LENGTH} long and that the vectors
     * span three dimensions (V / (a b c) at least {@link #MIN_VOLUME_RATIO}).
     *
     * @throws IllegalArgumentException naming the lattice vector or the volume
     */
    public static void checkCell(Lattice lattice) {
        double[] len = lattice.lengths();
        for (int k = 0; k < 3; k++) {
            if (!(len[k] <= MAX_LENGTH)) {
                throw new IllegalArgumentException(
                        String.format(
                                Locale.ROOT,
                                "lattice vector %s is %.6g A long, beyond %.0f A",
                                "abc".charAt(k),
                                len[k],
                                MAX_LENGTH));
            }
        }
        double ratio = lattice.volume() / (len[0] * len[1] * len[2]);
        if (!(ratio >= MIN_VOLUME_RATIO)) {
            throw new IllegalArgumentException(
                    String.format(
                            Locale.ROOT,
                            "degenerate cell: volume %.3g A^3 is %.2g of a*b*c, the lattice"
                                    + " vectors are (nearly) coplanar",
                            lattice.volume(),
                            ratio));
        }
    }
}
