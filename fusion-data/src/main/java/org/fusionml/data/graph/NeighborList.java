package org.fusionml.data.graph;

import java.util.Arrays;

/**
 * All periodic neighbours of every atom within a cutoff, grouped by central atom (CSR layout).
 *
 * <p>Neighbours of atom {@code i} are the entries {@code offsets[i] <= e < offsets[i + 1]}; within
 * that range the order is the search order, not sorted. Entry {@code e} is atom {@code
 * neighbors[e]} in the periodic image {@code images[3e..3e+2]} (integer lattice translations
 * relative to the input fractional coordinates), at bond vector {@code vectors[3e..3e+2] = r_j + n
 * M - r_i} (Angstrom) and distance {@code distances[e]} (Angstrom). The atom itself at image (0, 0,
 * 0) is never listed; its other images are.
 *
 * @param numAtoms N
 * @param cutoff search radius, Angstrom (inclusive)
 * @param offsets [N + 1]
 * @param neighbors [E]
 * @param images [E, 3] flattened
 * @param vectors [E, 3] flattened, Angstrom
 * @param distances [E], Angstrom
 */
public record NeighborList(
        int numAtoms,
        double cutoff,
        int[] offsets,
        int[] neighbors,
        int[] images,
        double[] vectors,
        double[] distances) {

    /** Number of neighbours of atom {@code i}. */
    public int count(int i) {
        return offsets[i + 1] - offsets[i];
    }

    /** Total number of (directed) neighbour entries. */
    public int size() {
        return neighbors.length;
    }

    /** The smallest neighbour count over all atoms. */
    public int minCount() {
        int min = Integer.MAX_VALUE;
        for (int i = 0; i < numAtoms; i++) {
            min = Math.min(min, count(i));
        }
        return min;
    }

    /** Distances from atom {@code i} to its neighbours, ascending, Angstrom. */
    public double[] sortedDistances(int i) {
        double[] d = Arrays.copyOfRange(distances, offsets[i], offsets[i + 1]);
        Arrays.sort(d);
        return d;
    }
}
