package org.fusionml.train.split;

import java.nio.file.Path;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;

/** Reads the dataset that a {@link DataSettings} names. */
public final class Datasets {
    private Datasets() {}

    /**
     * The file at {@code settings.path()}, or the embedded matbench_jdft2d when it is empty.
     *
     * @throws org.fusionml.data.InvalidInputException naming the file and entry of bad input
     */
    public static CrystalDataset load(DataSettings settings) {
        return settings.path().isEmpty()
                ? DatasetLoader.embeddedDefault()
                : DatasetLoader.load(Path.of(settings.path()), null);
    }
}
