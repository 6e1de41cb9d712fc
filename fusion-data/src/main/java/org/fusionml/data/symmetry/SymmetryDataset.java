package org.fusionml.data.symmetry;

import java.util.List;
import org.fusionml.data.structure.Lattice;

/**
 * What {@link SpaceGroupFinder} finds for one structure.
 *
 * @param symprec the Cartesian tolerance used, Angstrom (below the one asked for when that one gave
 *     operations that do not form a group)
 * @param numOperations number of space-group operations of the input cell, as spglib's {@code
 *     n_operations}: the operations of the primitive cell whose rotation is an integer matrix in
 *     the input basis (all of them unless the input is a supercell of another shape), times the
 *     pure translations
 * @param pureTranslations number of lattice points per input cell (1 for a primitive input)
 * @param primitiveLattice the reduced primitive lattice the operations refer to
 * @param operations space-group operations on fractional coordinates of {@code primitiveLattice}
 * @param mappingToPrimitive [N], the primitive site of each input site
 * @param equivalentAtoms [N], the smallest index of the site's orbit under the operations of the
 *     input cell (spglib's {@code equivalent_atoms})
 * @param crystallographicOrbits [N], the same under all operations of the primitive cell (spglib's
 *     {@code crystallographic_orbits}); differs only for supercells of another shape
 * @param equivalenceClasses the classes of {@code equivalentAtoms}: sorted site indices, classes
 *     ordered by their first index
 */
public record SymmetryDataset(
        double symprec,
        int numOperations,
        int pureTranslations,
        Lattice primitiveLattice,
        List<SymmetryOperation> operations,
        int[] mappingToPrimitive,
        int[] equivalentAtoms,
        int[] crystallographicOrbits,
        List<int[]> equivalenceClasses) {

    /** Sizes of the equivalence classes (site multiplicities within the input cell). */
    public int[] multiplicities() {
        return equivalenceClasses.stream().mapToInt(c -> c.length).toArray();
    }

    /** Number of proper (det +1) operations of the primitive cell. */
    public int properOperations() {
        return (int) operations.stream().filter(o -> o.determinant() == 1).count();
    }
}
