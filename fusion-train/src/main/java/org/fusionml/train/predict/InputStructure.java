package org.fusionml.train.predict;

import java.util.Objects;
import org.fusionml.data.structure.io.StructureEntry;

/**
 * A structure to predict, with the file it came from.
 *
 * @param source the file (as given or found in a folder)
 * @param entry its id, structure and, where the file has one, its target in the file's unit
 */
public record InputStructure(String source, StructureEntry entry) {
    public InputStructure {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(entry, "entry");
    }
}
