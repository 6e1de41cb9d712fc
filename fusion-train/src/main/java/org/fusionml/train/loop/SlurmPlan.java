package org.fusionml.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.fusionml.data.io.AtomicFiles;

/**
 * A loop written as SLURM jobs in {@code OUT/slurm/}: {@code loop.yaml} (the resolved
 * configuration, overrides applied), {@code prepare.sbatch} (surrogates, committees, fingerprints:
 * one task), {@code cells.sbatch} (a job array, task i computes cell i and exits at once when its
 * result exists) and {@code submit.sh}, which submits the array to start after the preparation
 * succeeded. Results go to {@code OUT/cells/} on the shared file system; resubmitting recomputes
 * only missing cells, and {@code fusion report --run OUT} aggregates whatever has finished.
 *
 * @param launcher absolute path of the {@code fusion} launcher as the compute nodes see it
 * @param partition SLURM partition, or null for the cluster default
 * @param time wall-time limit per task, SLURM format (e.g. {@code 02:00:00})
 * @param cpusPerTask cores per task (also the loop's --threads)
 * @param memory memory per task, SLURM format (e.g. {@code 8G}), or null
 * @param gpus GPUs per task (0 for CPU jobs)
 */
public record SlurmPlan(
        Path launcher, String partition, String time, int cpusPerTask, String memory, int gpus) {
    public SlurmPlan {
        if (cpusPerTask < 1 || gpus < 0) {
            throw new IllegalArgumentException("--cpus-per-task must be >= 1 and --gpus >= 0");
        }
    }

    /**
     * Writes the plan for a loop of {@code cells} cells; returns the {@code slurm} folder.
     *
     * @param out the loop folder (results, surrogates, logs)
     * @param resolvedConfig the loop configuration as YAML, overrides applied
     */
    public Path write(Path out, String resolvedConfig, int cells) throws IOException {
        Path dir = out.toAbsolutePath().resolve("slurm");
        Path config = dir.resolve("loop.yaml");
        AtomicFiles.writeString(config, resolvedConfig);
        String run =
                String.format(
                        Locale.ROOT,
                        "%s loop --config %s --output %s --threads %d",
                        quote(launcher.toString()),
                        quote(config.toString()),
                        quote(out.toAbsolutePath().toString()),
                        cpusPerTask);
        AtomicFiles.writeString(
                dir.resolve("prepare.sbatch"),
                script("fusion-prepare", dir.resolve("prepare-%j.out"), null, run + " --prepare"));
        AtomicFiles.writeString(
                dir.resolve("cells.sbatch"),
                script(
                        "fusion-cells",
                        dir.resolve("cell-%a.out"),
                        "0-" + (cells - 1),
                        run + " --cell \"$SLURM_ARRAY_TASK_ID\""));
        String submit =
                String.join(
                        "\n",
                        "#!/usr/bin/env bash",
                        "# Submits the preparation job, then the "
                                + cells
                                + "-task array after it succeeded. Safe to rerun:",
                        "# finished work is skipped. Collect the results with: fusion report --run"
                                + " "
                                + quote(out.toAbsolutePath().toString()),
                        "set -euo pipefail",
                        "cd " + quote(dir.toString()),
                        "prepare=$(sbatch --parsable prepare.sbatch)",
                        "cells=$(sbatch --parsable --dependency=afterok:\"${prepare%%;*}\""
                                + " cells.sbatch)",
                        "echo \"submitted preparation ${prepare%%;*} and array ${cells%%;*} ("
                                + cells
                                + " tasks)\"",
                        "");
        AtomicFiles.writeString(dir.resolve("submit.sh"), submit);
        dir.resolve("submit.sh").toFile().setExecutable(true);
        return dir;
    }

    private String script(String name, Path output, String array, String command) {
        List<String> lines = new ArrayList<>();
        lines.add("#!/usr/bin/env bash");
        lines.add("#SBATCH --job-name=" + name);
        lines.add("#SBATCH --output=" + output);
        lines.add("#SBATCH --ntasks=1");
        lines.add("#SBATCH --cpus-per-task=" + cpusPerTask);
        if (array != null) {
            lines.add("#SBATCH --array=" + array);
        }
        if (time != null) {
            lines.add("#SBATCH --time=" + time);
        }
        if (partition != null) {
            lines.add("#SBATCH --partition=" + partition);
        }
        if (memory != null) {
            lines.add("#SBATCH --mem=" + memory);
        }
        if (gpus > 0) {
            lines.add("#SBATCH --gpus=" + gpus);
        }
        lines.add("set -euo pipefail");
        lines.add(command);
        lines.add("");
        return String.join("\n", lines);
    }

    /** Single-quotes a path for bash. */
    static String quote(String s) {
        return s.matches("[A-Za-z0-9_./:%=+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
    }
}
