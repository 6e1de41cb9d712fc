package org.fusionml.data.graph;

/**
 * Self-connecting edges that carry a crystal's lattice into its atom graph: every atom i gets the
 * edges i -> i at the translations +n and -n of each listed n, so the graph stays symmetric and the
 * lengths of the loops describe the lattice.
 */
public enum LatticeLoops {
    /** No loops. */
    NONE,
    /**
     * Matformer's (Yan et al., NeurIPS 2022, the code's {@code use_lattice}): a, b, c, a + b, a + c
     * and b + c of the cell as given, 12 loops per atom.
     */
    CELL,
    /**
     * ComFormer's (Yan et al., ICLR 2024): the three vectors of the {@link ShortestBasis}, 6 loops
     * per atom.
     */
    SHORTEST_BASIS;

    /**
     * The translations n (integer coefficients in the cell's a, b, c) each atom gets loops at, in
     * both directions.
     *
     * @param shortest the lattice's shortest basis (read by {@link #SHORTEST_BASIS})
     */
    public int[][] images(ShortestBasis shortest) {
        return switch (this) {
            case NONE -> new int[0][];
            case CELL ->
                    new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {1, 0, 1}, {0, 1, 1}};
            case SHORTEST_BASIS -> shortest.images();
        };
    }
}
