package org.fusionml.data.graph;

import java.util.Arrays;

/**
 * The ALIGNN k-nearest shells of every atom (directed, before symmetrisation), each ascending by
 * distance: the {@code k} nearest neighbours plus every neighbour tied with the k-th.
 *
 * @param cutoffUsed the cutoff the shells were found within, after growth, Angstrom
 * @param offsets [N + 1], CSR offsets per central atom
 * @param neighbors [S]
 * @param images [S, 3] flattened
 * @param distances [S], Angstrom
 */
public record NeighborShells(
        double cutoffUsed, int[] offsets, int[] neighbors, int[] images, double[] distances) {

    /** Number of atoms. */
    public int numAtoms() {
        return offsets.length - 1;
    }

    /** Shell distances of atom {@code i}, ascending, Angstrom. */
    public double[] distances(int i) {
        return Arrays.copyOfRange(distances, offsets[i], offsets[i + 1]);
    }
}
