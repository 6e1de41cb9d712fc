/**
 * Space-group symmetry of periodic structures, the job spglib does: pure translations and the
 * primitive cell, a reduced basis, the lattice point group, the space-group operations within a
 * Cartesian tolerance, and the orbits (classes of symmetry-equivalent sites). Plain Java.
 */
package org.fusionml.data.symmetry;
