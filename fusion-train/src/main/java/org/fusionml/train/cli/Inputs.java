package org.fusionml.train.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;

/** Resolving {@code --input}: a file, or the embedded default dataset when none is given. */
final class Inputs {
    private Inputs() {}

    static List<StructureEntry> structures(Path input) {
        if (input != null) {
            return StructureReaders.read(input).entries();
        }
        CrystalDataset d = DatasetLoader.embeddedDefault();
        return d.entries().stream()
                .map(e -> new StructureEntry(e.id(), e.structure(), OptionalDouble.of(e.target())))
                .toList();
    }
}
