package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlurmPlanTest {
    @TempDir Path dir;

    @Test
    void writesAPreparationJobAnArrayWithOneTaskPerCellAndASubmitScript() throws Exception {
        Path out = dir.resolve("my sweep");
        Path slurm =
                new SlurmPlan(Path.of("/opt/fusion/fusion"), "gpu", "01:00:00", 4, "8G", 1)
                        .write(out, "seeds: [0]\n", 7);
        assertEquals(out.toAbsolutePath().resolve("slurm"), slurm);
        assertEquals("seeds: [0]\n", Files.readString(slurm.resolve("loop.yaml")));
        String cells = Files.readString(slurm.resolve("cells.sbatch"));
        assertTrue(cells.contains("#SBATCH --array=0-6\n"), cells);
        assertTrue(
                cells.contains("#SBATCH --cpus-per-task=4\n")
                        && cells.contains("#SBATCH --partition=gpu\n")
                        && cells.contains("#SBATCH --mem=8G\n")
                        && cells.contains("#SBATCH --gpus=1\n")
                        && cells.contains("#SBATCH --time=01:00:00\n"),
                cells);
        String quotedOut = "'" + out.toAbsolutePath() + "'";
        assertTrue(
                cells.contains(
                        "/opt/fusion/fusion loop --config '"
                                + slurm.resolve("loop.yaml")
                                + "' --output "
                                + quotedOut
                                + " --threads 4 --cell \"$SLURM_ARRAY_TASK_ID\""),
                cells);
        String prepare = Files.readString(slurm.resolve("prepare.sbatch"));
        assertTrue(prepare.contains(" --prepare\n") && !prepare.contains("--array"), prepare);
        String submit = Files.readString(slurm.resolve("submit.sh"));
        assertTrue(submit.contains("--dependency=afterok:"), submit);
        assertTrue(Files.isExecutable(slurm.resolve("submit.sh")));
    }

    @Test
    void optionalSettingsAreLeftToTheCluster() throws Exception {
        Path slurm = new SlurmPlan(Path.of("/f"), null, null, 1, null, 0).write(dir, "{}\n", 1);
        String cells = Files.readString(slurm.resolve("cells.sbatch"));
        assertTrue(cells.contains("#SBATCH --array=0-0\n"));
        for (String key : new String[] {"--partition", "--mem", "--gpus", "--time"}) {
            assertFalse(cells.contains(key), key);
        }
    }

    @Test
    void quotesOnlyWhatBashWouldSplit() {
        assertEquals("/a/b-c_d.yaml", SlurmPlan.quote("/a/b-c_d.yaml"));
        assertEquals("'/a b/it'\\''s'", SlurmPlan.quote("/a b/it's"));
    }
}
