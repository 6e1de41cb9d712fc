package org.fusionml.train.predict;

import java.nio.file.Path;
import java.util.List;

/**
 * A reader of one kind of {@code --input} path (a structure file, a folder of them, a dataset
 * folder). {@link StructureInputs#read} asks the readers in order and uses the first that accepts a
 * path, so a new layout plugs in by being listed before the general readers.
 */
public interface StructureInput {
    /** Whether this reader reads {@code path}. */
    boolean accepts(Path path);

    /**
     * Every structure at {@code path}, in a fixed order.
     *
     * @throws org.fusionml.data.InvalidInputException naming the file and entry of bad input
     */
    List<InputStructure> read(Path path);
}
