package org.fusionml.data.structure.io;

import org.fusionml.data.graph.NeighborList;
import org.fusionml.data.graph.NeighborSearch;
import org.fusionml.data.structure.Structure;

/** Physical sanity checks every reader applies to what it builds. */
public final class StructureValidator {
    /** Two atoms (any periodic images) closer than this are rejected, Angstrom. */
    public static final double MIN_DISTANCE = 0.1;

    private StructureValidator() {}

    /**
     * Checks that no two atoms, periodic images included, are closer than {@link #MIN_DISTANCE}.
     *
     * @throws IllegalArgumentException naming the two sites and their distance
     */
    public static Structure check(Structure s) {
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
}
