/**
 * Immutable crystal structures: {@link org.fusionml.data.structure.Element}, {@link
 * org.fusionml.data.structure.Lattice} (row vectors, Angstrom), {@link
 * org.fusionml.data.structure.Site} and {@link org.fusionml.data.structure.Structure}.
 */
package org.fusionml.data.structure;
