package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.head.EvidentialOutput;
import org.fusionml.models.head.Losses;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningBenchmarkTest {
    private static final Path SMALL = Path.of("../configs/jdft2d-alignn-small.yaml");

    /**
     * The reference as {@code fusion bench learn} runs it by default, in the shared folder of the
     * build.
     */
    private static final PyTorchReference REFERENCE =
            new PyTorchReference(
                    Path.of("/usr/bin/python3"),
                    Path.of(
                            System.getProperty("fusion.shared", "../shared"),
                            "bench/alignn_pytorch_ref.py"));

    @TempDir Path dir;

    private static TrainConfig small(String... sets) {
        return ConfigLoader.load(SMALL, List.of(sets), TrainConfig.class);
    }

    @Test
    void theReferenceTrainsOnlyTheModelItHas() {
        CrystalDataset jdft2d = DatasetLoader.embeddedDefault();
        assertEquals("SMALL", LearningBenchmark.referenceSize(small(), jdft2d));
        assertEquals(
                "FULL",
                LearningBenchmark.referenceSize(
                        small("model.hidden=256", "model.alignn_layers=4", "model.gcn_layers=4"),
                        jdft2d));
        for (String[] other :
                new String[][] {
                    {"model.hidden=32"}, {"model.alignn_layers=1"}, {"model.embedding=32"},
                    {"model.max_neighbors=16"}, {"model.cutoff=6.0"}, {"train.schedule=cosine"}
                }) {
            String why = LearningBenchmark.referenceSize(small(other), jdft2d);
            assertTrue(why.startsWith("not comparable: "), String.join(",", other) + " -> " + why);
        }
        TrainConfig cgcnn =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-cgcnn.yaml"), List.of(), TrainConfig.class);
        assertTrue(LearningBenchmark.referenceSize(cgcnn, jdft2d).startsWith("not comparable: "));
    }

    @Test
    void theSplitHandedToTheReferenceIsTheFrameworksSplitById() throws IOException {
        CrystalDataset data = DatasetLoader.embeddedDefault();
        Split split = small().data().split(data);
        JsonNode json = new ObjectMapper().readTree(LearningBenchmark.splitJson(data, split));
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            index.put(data.entries().get(i).id(), i);
        }
        int[][] parts = {split.train(), split.val(), split.test()};
        String[] names = {"train", "val", "test"};
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < 3; p++) {
            JsonNode ids = json.get(names[p]);
            assertEquals(parts[p].length, ids.size(), names[p]);
            for (int k = 0; k < ids.size(); k++) {
                assertEquals(parts[p][k], index.get(ids.get(k).asText()), names[p] + " " + k);
                assertTrue(seen.add(ids.get(k).asText()), "twice: " + ids.get(k));
            }
        }
        assertEquals(636, seen.size());
        assertEquals(
                List.of(446, 95, 95),
                List.of(split.train().length, split.val().length, split.test().length));
    }

    @Test
    void atomFeatureRowZHoldsTheFeaturesOfZ() throws IOException {
        JsonNode rows = new ObjectMapper().readTree(LearningBenchmark.atomFeaturesJson());
        assertEquals(119, rows.size());
        for (int z : new int[] {0, 1, 8, 26, 83}) {
            float[] row = new float[rows.get(z).size()];
            for (int k = 0; k < row.length; k++) {
                row[k] = (float) rows.get(z).get(k).asDouble();
            }
            assertArrayEquals(
                    z == 0 ? new float[AtomFeatures.SIZE] : AtomFeatures.of(z), row, "Z = " + z);
        }
    }

    /**
     * One epoch each: both implementations must report the same mean predictor (the same training
     * targets and the same test part), and each line's ratio is its test MAE over that.
     */
    @Test
    void bothImplementationsSeeTheSameSplit() throws Exception {
        String[] lines = benchLines(1, false);
        assertEquals(2, lines.length, String.join("\n", lines));
        Map<String, String> fusion = fields(lines[0]);
        Map<String, String> ref = fields(lines[1]);
        assertEquals("fusion", fusion.get("impl"));
        assertEquals("pytorch_ref", ref.get("impl"), lines[1]);
        assertEquals(
                "evidential", ref.get("head"), "the configuration's head and loss on both sides");
        assertEquals("der", ref.get("loss"));
        assertEquals(fusion.get("mean_predictor_test_mae"), ref.get("mean_predictor_test_mae"));
        assertEquals("81.40", fusion.get("mean_predictor_test_mae"));
        for (Map<String, String> f : List.of(fusion, ref)) {
            assertEquals("1", f.get("epochs"));
            assertEquals(
                    Double.parseDouble(f.get("test_mae"))
                            / Double.parseDouble(f.get("mean_predictor_test_mae")),
                    Double.parseDouble(f.get("ratio")),
                    1e-3);
        }
    }

    /**
     * From the reference's initial weights and in the framework's order, two epochs of the
     * evidential configuration on both sides: the mean training loss of the first epoch agrees to
     * float32 rounding (any difference in the model, the loss, the optimiser or the schedule shows
     * here: PyTorch's one-cycle peaking one step later moved it by 2e-3), and the validation MAE
     * after each epoch to well within 1 %. (The validation MAE agrees less closely than the loss:
     * the biases ahead of batch norm get a gradient that is zero up to rounding, which Adam turns
     * into steps of the learning rate's size that differ between the two; train-mode batch norm
     * cancels them, its running mean only after a lag.)
     */
    @Test
    void fromTheSameStartBothImplementationsTrainAlike() throws Exception {
        String[] lines = benchLines(2, true);
        assertEquals(3, lines.length, String.join("\n", lines));
        assertEquals("reference", fields(lines[0]).get("start"));
        assertEquals("reference", fields(lines[1]).get("start"));
        Map<String, String> same = fields(lines[2]);
        assertTrue(lines[2].startsWith("bench alignn_learn_same_start "), lines[2]);
        assertEquals("2", same.get("epochs_compared"));
        assertTrue(Double.parseDouble(same.get("epoch1_train_loss_rel_diff")) < 1e-5, lines[2]);
        assertTrue(Math.abs(Double.parseDouble(same.get("epoch1_val_mae_diff"))) < 0.2, lines[2]);
        assertEquals("2", same.get("epochs_val_mae_within_1pct"), lines[2]);
    }

    @Test
    void aSameStartNeedsTheReference() {
        var e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                LearningBenchmark.run(
                                        small("train.epochs=1"),
                                        dir,
                                        REFERENCE,
                                        null,
                                        "der",
                                        true,
                                        new PrintWriter(new StringWriter()),
                                        new PrintWriter(new StringWriter())));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "fusion bench learn --same-start: a same start needs the"
                                        + " reference"),
                e.getMessage());
        e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                LearningBenchmark.run(
                                        small("train.epochs=1", "model.hidden=32"),
                                        dir,
                                        REFERENCE,
                                        Path.of("learner.py"),
                                        "der",
                                        true,
                                        new PrintWriter(new StringWriter()),
                                        new PrintWriter(new StringWriter())));
        assertTrue(
                e.getMessage().contains("(not comparable: the reference has hidden 64"),
                e.getMessage());
    }

    /**
     * A learner that is not there is named in the reference's line (the framework's line is printed
     * first).
     */
    @Test
    void aMissingLearnerIsNamed() throws Exception {
        String[] lines = linesWith(Path.of("no-such-learner.py"));
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(
                lines[1].startsWith(
                        "bench alignn_learn impl=pytorch_ref status=unavailable reason=\"missing "),
                lines[1]);
    }

    /**
     * A learner that fails: its exit status and the last line of its standard error are in the
     * reference's line, and all of its standard error stays in the file the line names.
     */
    @Test
    void aFailingLearnersCauseIsReported() throws Exception {
        assumeReference();
        Path learner = dir.resolve("failing_learner.py");
        Files.writeString(
                learner,
                "import sys\n"
                        + "sys.stderr.write('Traceback (most recent call last):\\n"
                        + "ValueError: \"bad\" split\\n"
                        + "\\n"
                        + "')\n"
                        + "sys.exit(3)\n");
        String[] lines = linesWith(learner);
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(
                lines[1].startsWith(
                        "bench alignn_learn impl=pytorch_ref status=unavailable"
                            + " reason=\"failing_learner.py exited 3: ValueError: 'bad' split (all"
                            + " of it in "),
                lines[1]);
        Path kept =
                Path.of(
                        lines[1].substring(
                                lines[1].indexOf("(all of it in ") + 14, lines[1].length() - 2));
        assertTrue(Files.readString(kept).startsWith("Traceback"), kept.toString());
    }

    /**
     * A learner whose standard error holds a byte that is not UTF-8 still has its cause reported.
     */
    @Test
    void aCauseAfterBytesThatAreNotUtf8IsReported() throws Exception {
        assumeReference();
        Path learner = dir.resolve("undecodable_learner.py");
        Files.writeString(
                learner,
                "import sys\n"
                        + "sys.stderr.buffer.write(b'native warning \\xff\\n"
                        + "')\n"
                        + "sys.stderr.buffer.flush()\n"
                        + "sys.stderr.write('RuntimeError: out of memory\\n"
                        + "')\n"
                        + "sys.exit(1)\n");
        String[] lines = linesWith(learner);
        assertEquals(2, lines.length, String.join("\n", lines));
        assertTrue(
                lines[1].startsWith(
                        "bench alignn_learn impl=pytorch_ref status=unavailable"
                                + " reason=\"undecodable_learner.py exited 1: RuntimeError: out of"
                                + " memory (all of it in "),
                lines[1]);
    }

    private String[] linesWith(Path learner) throws Exception {
        StringWriter out = new StringWriter();
        LearningBenchmark.run(
                small("train.epochs=1"),
                dir,
                REFERENCE,
                learner,
                "der",
                false,
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        return out.toString().strip().split("\n");
    }

    /**
     * The learner's evidential head and loss (written out in Python for the reference) give the
     * framework's DER loss ({@link Losses#der} of {@link EvidentialOutput#fromRaw}) on the same raw
     * outputs, a capped one among them.
     */
    @Test
    void theLearnersEvidentialLossIsTheFrameworks() throws Exception {
        assumeTrue(
                new ProcessBuilder(REFERENCE.python().toString(), "-c", "import torch")
                                .start()
                                .waitFor()
                        == 0,
                "needs " + REFERENCE.python() + " with torch");
        double[] raw = {0.3, -0.5, 1.2, 0.1, -1.0, 2.0, -0.3, 0.7, 0.8, 40.0, -4.0, 35.0};
        double[] y = {0.5, -2.0, 1.5};
        double lambda = 0.25; // exact in float32, as the framework takes it
        double framework;
        try (NDManager m = NDManager.newBaseManager()) {
            framework =
                    Losses.der(
                                    EvidentialOutput.fromRaw(m.create(raw, new Shape(3, 4))),
                                    m.create(y),
                                    (float) lambda)
                            .getDouble();
        }
        String code =
                "import importlib.util, sys, torch\n"
                    + "spec = importlib.util.spec_from_file_location('learn', sys.argv[1])\n"
                    + "mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)\n"
                    + "raw = torch.tensor("
                        + Arrays.toString(raw)
                        + ", dtype=torch.float64).reshape(3, 4)\n"
                        + "y = torch.tensor("
                        + Arrays.toString(y)
                        + ", dtype=torch.float64)\n"
                        + "print(repr(mod.der_loss(torch, raw, y, "
                        + lambda
                        + ").item()))\n";
        Process p =
                new ProcessBuilder(
                                REFERENCE.python().toString(),
                                "-c",
                                code,
                                "../bench/alignn_reference_learn.py")
                        .redirectErrorStream(true)
                        .start();
        String printed =
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), printed);
        // the framework adds its floor as the float32 constant 1 + 1e-6f = 1.00000095 to alpha:
        // ~1e-9 apart
        assertEquals(framework, Double.parseDouble(printed), 1e-7 * Math.abs(framework));
    }

    /**
     * The lines of the learning check of the small configuration for {@code epochs} epochs with the
     * reference (DER on both sides); skips the test where the reference cannot run.
     */
    private String[] benchLines(int epochs, boolean sameStart) throws Exception {
        assumeReference();
        StringWriter out = new StringWriter();
        LearningBenchmark.run(
                small("train.epochs=" + epochs),
                dir,
                REFERENCE,
                Path.of("../bench/alignn_reference_learn.py"),
                "der",
                sameStart,
                new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        return out.toString().strip().split("\n");
    }

    /** Skips the test where the reference cannot run. */
    private static void assumeReference() throws Exception {
        assumeTrue(Files.exists(REFERENCE.script()), "needs " + REFERENCE.script());
        assumeTrue(
                new ProcessBuilder(REFERENCE.python().toString(), "-c", "import torch, pymatgen")
                                .start()
                                .waitFor()
                        == 0,
                "needs " + REFERENCE.python() + " with torch and pymatgen");
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String token : line.split(" ")) {
            int eq = token.indexOf('=');
            if (eq > 0) {
                m.put(token.substring(0, eq), token.substring(eq + 1));
            }
        }
        return m;
    }
}
