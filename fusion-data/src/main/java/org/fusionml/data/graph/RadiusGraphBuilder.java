package org.fusionml.data.graph;

import org.fusionml.data.structure.Structure;

/**
 * Builds the plain radius graph used by SchNet-like models: every pair of atoms (all periodic
 * images) closer than the cutoff, in both directions. The relation is symmetric by construction.
 */
public final class RadiusGraphBuilder {
    private final double cutoff;

    /**
     * @param cutoff radius in Angstrom, > 0
     */
    public RadiusGraphBuilder(double cutoff) {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("cutoff (" + cutoff + ") must be > 0 Angstrom");
        }
        this.cutoff = cutoff;
    }

    public double cutoff() {
        return cutoff;
    }

    /** Builds the radius graph; edges are sorted by source atom. */
    public CrystalGraph build(Structure structure) {
        NeighborList nl = NeighborSearch.find(structure, cutoff);
        int e = nl.size();
        int[] src = new int[e];
        for (int i = 0; i < nl.numAtoms(); i++) {
            for (int q = nl.offsets()[i]; q < nl.offsets()[i + 1]; q++) {
                src[q] = i;
            }
        }
        return CrystalGraph.fromSortedEdges(
                nl.numAtoms(),
                structure.atomicNumbers(),
                src,
                nl.neighbors(),
                nl.images(),
                nl.vectors(),
                nl.distances(),
                cutoff);
    }
}
