package org.fusionml.data.graph;

/**
 * Settings of the ALIGNN k-nearest-neighbour graph.
 *
 * @param cutoff initial search radius, Angstrom (ALIGNN: 8)
 * @param maxNeighbors k, the number of nearest neighbours per atom (ALIGNN: 12)
 * @param tieTolerance neighbours with d <= d_k + tieTolerance join the shell, Angstrom (1e-6)
 */
public record KnnGraphConfig(double cutoff, int maxNeighbors, double tieTolerance) {
    public KnnGraphConfig {
        if (!(cutoff > 0) || !Double.isFinite(cutoff)) {
            throw new IllegalArgumentException("cutoff (" + cutoff + ") must be > 0 Angstrom");
        }
        if (maxNeighbors < 1) {
            throw new IllegalArgumentException("maxNeighbors (" + maxNeighbors + ") must be >= 1");
        }
        if (!(tieTolerance >= 0)) {
            throw new IllegalArgumentException("tieTolerance (" + tieTolerance + ") must be >= 0");
        }
    }

    /** ALIGNN's defaults: cutoff 8 A, 12 neighbours, ties within 1e-6 A. */
    public static KnnGraphConfig alignn() {
        return new KnnGraphConfig(8.0, 12, 1e-6);
    }
}
