package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.config.ConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training killed at every step of its writes (each file complete but not yet renamed, and
 * renamed) resumes to exactly the uninterrupted run; a checkpoint that is damaged, truncated, of an
 * earlier version or out of step with {@code best.params} is refused with one line naming the file
 * and what to do, never resumed.
 */
class CheckpointFaultTest {
    @TempDir Path dir;
    private static CrystalDataset data;
    private static Split split;

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault().select(IntStream.range(0, 20).toArray());
        split = Splits.trainValTest(data.size(), 0.2, 0.2, 0, 42);
    }

    private static TrainConfig tiny(int epochs) {
        return ConfigLoader.load(
                null,
                List.of(
                        "model.alignn_layers=1",
                        "model.gcn_layers=1",
                        "model.hidden=8",
                        "model.embedding=8",
                        "train.batch_size=6",
                        "train.epochs=" + epochs,
                        "train.patience=50"),
                TrainConfig.class);
    }

    private static GraphTrainer.Result train(int epochs, Path run) throws IOException {
        return new GraphTrainer(tiny(epochs), new PrintWriter(new StringWriter()))
                .train(data, split, run);
    }

    /** What a kill does to the program: it stops where it is, nothing catches it. */
    private static final class Killed extends Error {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Records the write steps of an uninterrupted run, then kills a run at each step from the first
     * epoch's first write to the last write of the saved model and resumes it: the same result, the
     * same saved parameters, the same metrics lines.
     */
    @Test
    void aRunKilledAtAnyStepOfItsWritesResumesToTheUninterruptedRun() throws Exception {
        Path whole = dir.resolve("whole");
        List<String> steps = new ArrayList<>();
        GraphTrainer.Result expected;
        try (AtomicFiles.Injected i =
                AtomicFiles.injectFault(
                        (step, target) -> steps.add(target.getFileName() + " " + step))) {
            expected = train(2, whole);
        }
        int first = steps.indexOf("metrics.jsonl WRITTEN");
        List<String> epochWrites =
                List.of(
                        "metrics.jsonl WRITTEN",
                        "metrics.jsonl RENAMED",
                        "checkpoint.bin WRITTEN",
                        "checkpoint.bin RENAMED",
                        "best.params WRITTEN",
                        "best.params RENAMED");
        List<String> expectedSteps =
                new ArrayList<>(List.of("config.yaml WRITTEN", "config.yaml RENAMED"));
        expectedSteps.addAll(epochWrites);
        expectedSteps.addAll(epochWrites); // epoch 2 improves too: the case of the repair below
        for (String f :
                List.of(
                        "predictions.csv",
                        "model.params",
                        "model.json",
                        "result.json",
                        "provenance.json")) {
            expectedSteps.add(f + " WRITTEN");
            expectedSteps.add(f + " RENAMED");
        }
        assertEquals(expectedSteps, steps);
        assertEquals(2, expected.bestEpoch());

        for (int k = first; k < steps.size(); k++) {
            Path run = dir.resolve("killed_" + k);
            int at = k;
            int[] seen = {0};
            try (AtomicFiles.Injected i =
                    AtomicFiles.injectFault(
                            (step, target) -> {
                                if (seen[0]++ == at) {
                                    throw new Killed();
                                }
                            })) {
                assertThrows(Killed.class, () -> train(2, run), steps.get(k));
            }
            GraphTrainer.Result resumed = train(2, run);
            String where = "killed at " + steps.get(k);
            assertEquals(expected, resumed, where);
            assertArrayEquals(
                    Files.readAllBytes(whole.resolve("model.params")),
                    Files.readAllBytes(run.resolve("model.params")),
                    where);
            assertArrayEquals(
                    Files.readAllBytes(whole.resolve("best.params")),
                    Files.readAllBytes(run.resolve("best.params")),
                    where);
            assertEquals(withoutTimes(whole), withoutTimes(run), where);
            assertEquals(
                    Files.readAllLines(whole.resolve("predictions.csv")),
                    Files.readAllLines(run.resolve("predictions.csv")),
                    where);
            assertEquals(names(whole), names(run), where + ": no file more or less");
        }
    }

    private static List<String> withoutTimes(Path run) throws IOException {
        return Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll(", \"seconds\": [0-9.]+", ""))
                .toList();
    }

    private static List<String> names(Path run) throws IOException {
        try (Stream<Path> s = Files.list(run)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String refusal(Path run, int epochs) {
        InvalidInputException e =
                assertThrows(InvalidInputException.class, () -> train(epochs, run));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        return e.getMessage();
    }

    @Test
    void aDamagedTruncatedOrForeignCheckpointIsRefused() throws Exception {
        Path run = dir.resolve("run");
        GraphTrainer.Result first = train(1, run);
        Path cp = run.resolve("checkpoint.bin");
        byte[] good = Files.readAllBytes(cp);
        String advice =
                "; the run cannot resume from it: delete it to train this run again from the"
                        + " start, or use another output folder";

        Files.write(cp, Arrays.copyOf(good, good.length / 2));
        assertEquals(
                cp + ": damaged or truncated (its SHA-256 does not match its content)" + advice,
                refusal(run, 1));

        byte[] flipped = good.clone();
        flipped[good.length / 3] ^= 1; // one bit of a parameter
        Files.write(cp, flipped);
        assertEquals(
                cp + ": damaged or truncated (its SHA-256 does not match its content)" + advice,
                refusal(run, 1));

        Files.writeString(cp, "{\"epoch\": 3}");
        assertEquals(cp + ": not a FUSION checkpoint" + advice, refusal(run, 1));

        Files.write(cp, new byte[0]);
        assertEquals(cp + ": not a FUSION checkpoint" + advice, refusal(run, 1));

        Files.write(cp, good);
        assertEquals(1, Checkpoint.read(cp).state().epoch(), "the good file reads");
        assertEquals(first, train(1, run), "and resumes");
    }

    @Test
    void aCheckpointOfAnEarlierVersionIsRefused() throws Exception {
        Path run = dir.resolve("old");
        train(1, run);
        Files.delete(run.resolve("checkpoint.bin"));
        Files.writeString(run.resolve("checkpoint.json"), "{\"epoch\":1}");
        assertEquals(
                run.resolve("checkpoint.json")
                        + ": a checkpoint of an earlier version, without checksums; the run cannot"
                        + " resume from it: delete checkpoint.json, checkpoint.params and"
                        + " checkpoint.optimizer to train this run again from the start, or use"
                        + " another output folder",
                refusal(run, 1));
        Files.delete(run.resolve("checkpoint.json"));
        Path fresh = dir.resolve("fresh");
        GraphTrainer.Result again = train(1, run);
        assertEquals(train(1, fresh), again, "deleted, the run starts over from epoch 0");
        assertEquals(withoutTimes(fresh), withoutTimes(run), "with its own metrics lines only");
    }

    /**
     * best.params that the checkpoint does not name is refused when it cannot come from the
     * checkpoint; when the checkpoint's epoch is the best, it is restored from the checkpoint.
     */
    @Test
    void bestParametersOutOfStepWithTheCheckpoint() throws Exception {
        Path run = dir.resolve("best");
        GraphTrainer.Result one = train(1, run);
        Path best = run.resolve("best.params");
        byte[] bestBytes = Files.readAllBytes(best);
        Files.write(best, new byte[] {1, 2, 3});
        assertEquals(one, train(1, run), "restored from the checkpoint of the best epoch");
        assertArrayEquals(bestBytes, Files.readAllBytes(best));

        Path cpFile = run.resolve("checkpoint.bin");
        Checkpoint cp = Checkpoint.read(cpFile);
        Checkpoint.State s = cp.state();
        new Checkpoint(
                        new Checkpoint.State(
                                s.epoch() + 1,
                                s.bestValMae(),
                                s.bestEpoch(),
                                s.settingsSha256(),
                                "0".repeat(64)),
                        cp.parameters(),
                        cp.optimizer())
                .write(cpFile);
        // A line past the checkpoint's epoch, which a resume would drop.
        Files.writeString(
                run.resolve("metrics.jsonl"), "{\"epoch\": 3}\n", StandardOpenOption.APPEND);
        List<String> metrics = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(
                best
                        + ": does not match the checkpoint "
                        + cpFile
                        + " (best epoch 1); delete the checkpoint to train this run again from"
                        + " the start, or use another output folder",
                refusal(run, 1));
        assertArrayEquals(bestBytes, Files.readAllBytes(best), "nothing overwritten");
        assertEquals(metrics, Files.readAllLines(run.resolve("metrics.jsonl")), "nor dropped");
        assertFalse(names(run).stream().anyMatch(n -> n.endsWith(".tmp")));
        assertTrue(Files.exists(cpFile));
    }
}
