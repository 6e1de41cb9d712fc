package org.fusionml.data.dataset;

import java.util.Objects;

/**
 * Where a dataset came from.
 *
 * @param source file or resource the data was read from
 * @param sha256 SHA-256 of the source bytes (lower-case hex)
 * @param task task name, e.g. {@code matbench_jdft2d}, or the file name for other data
 * @param targetName name of the target column, e.g. {@code exfoliation_en}
 * @param unit unit of the target, e.g. {@code meV/atom}; {@link #UNKNOWN_UNIT} for data that is not
 *     a known Matbench task's
 */
public record DatasetProvenance(
        String source, String sha256, String task, String targetName, String unit) {
    /** The unit of a target whose unit the data does not say. */
    public static final String UNKNOWN_UNIT = "unknown";

    public DatasetProvenance {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(targetName, "targetName");
        Objects.requireNonNull(unit, "unit");
    }
}
