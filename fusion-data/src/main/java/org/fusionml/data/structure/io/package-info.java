/**
 * Reading and writing structures: pymatgen {@code Structure.as_dict()} JSON, Matbench json(.gz),
 * CIF (with symmetry expansion) and VASP 5 POSCAR. Every reader validates what it builds and
 * reports bad input as an {@link org.fusionml.data.InvalidInputException} naming file and entry.
 */
package org.fusionml.data.structure.io;
