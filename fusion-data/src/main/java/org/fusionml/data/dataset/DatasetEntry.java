package org.fusionml.data.dataset;

import java.util.Objects;
import org.fusionml.data.structure.Structure;

/**
 * One labelled structure.
 *
 * @param id unique id within its dataset (e.g. {@code mb-jdft2d-001})
 * @param structure the crystal structure
 * @param target the target value, in the dataset's unit (see {@link DatasetProvenance#unit()})
 */
public record DatasetEntry(String id, Structure structure, double target) {
    public DatasetEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(structure, "structure");
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException(
                    "target of " + id + " is not finite (" + target + ")");
        }
    }
}
