package org.fusionml.data.structure.io;

import java.util.Objects;
import java.util.OptionalDouble;
import org.fusionml.data.structure.Structure;

/**
 * A structure read from a file, with its name and, where the file has one, its target value.
 *
 * @param id name or id (Matbench id, CIF data block, POSCAR comment, JSON key; else the index)
 * @param structure the structure
 * @param target the target value in the file's unit, empty when the file has none
 */
public record StructureEntry(String id, Structure structure, OptionalDouble target) {
    public StructureEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(structure, "structure");
        Objects.requireNonNull(target, "target");
    }
}
