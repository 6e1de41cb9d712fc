package org.fusionml.data.dataset;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The Matbench v0.1 tasks this framework knows, with their targets and units. */
public enum MatbenchTask {
    /** Exfoliation energy of 2D-layered crystals, 636 entries. */
    JDFT2D("matbench_jdft2d", "exfoliation_en", "meV/atom"),
    /** Formation energy of perovskites (per 5-atom cell), 18,928 entries. */
    PEROVSKITES("matbench_perovskites", "e_form", "eV/cell"),
    /** Refractive index, 4,764 entries. */
    DIELECTRIC("matbench_dielectric", "n", "dimensionless");

    /** Where Matbench publishes its task files. */
    public static final String BASE_URL = "https://ml.materialsproject.org/projects/";

    private final String taskName;
    private final String targetName;
    private final String unit;

    MatbenchTask(String taskName, String targetName, String unit) {
        this.taskName = taskName;
        this.targetName = targetName;
        this.unit = unit;
    }

    /**
     * The task a file or folder of data belongs to by its name, as Matbench names its files: the
     * name starts with the task's name ({@code matbench_perovskites_subset.json.gz} is
     * perovskites); empty for any other name.
     */
    public static Optional<MatbenchTask> ofFileName(String fileName) {
        for (MatbenchTask t : values()) {
            if (fileName.startsWith(t.taskName)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The Matbench name, e.g. {@code matbench_jdft2d}. */
    public String taskName() {
        return taskName;
    }

    public String targetName() {
        return targetName;
    }

    /**
     * The target's unit: {@code meV/atom} (jdft2d), {@code eV/cell} (perovskites, per 5-atom cell),
     * {@code dimensionless} (dielectric: the refractive index n).
     */
    public String unit() {
        return unit;
    }

    /** The official download address of the task's json.gz. */
    public String url() {
        return BASE_URL + taskName + ".json.gz";
    }

    /**
     * Looks a task up by Matbench name ({@code matbench_jdft2d}) or short name ({@code jdft2d}).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static MatbenchTask of(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (MatbenchTask t : values()) {
            if (t.taskName.equals(n) || t.name().toLowerCase(Locale.ROOT).equals(n)) {
                return t;
            }
        }
        throw new IllegalArgumentException(
                "unknown Matbench task '"
                        + name
                        + "'; known: "
                        + Arrays.stream(values())
                                .map(MatbenchTask::taskName)
                                .collect(Collectors.joining(", ")));
    }
}
