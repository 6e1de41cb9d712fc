package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.Losses;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain PyTorch CGCNN and SchNet of {@code bench/graph_models_pytorch_ref.py} compute what the
 * framework's blocks compute: with the framework's weights (BatchNorm's scale, shift and running
 * statistics set away from their initial values) and on the graphs the framework wrote, the outputs
 * in inference mode, the outputs in training mode (batch statistics), the MSE loss and the gradient
 * of every parameter agree to float32 rounding. Skipped where {@code /usr/bin/python3} has no
 * torch.
 */
class GraphModelReferenceTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("../" + GraphModelReference.SCRIPT);

    /** Five jdft2d structures of different sizes. */
    private static final int[] STRUCTURES = {0, 7, 100, 250, 600};

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"cgcnn", "schnet"})
    void theReferenceComputesTheFrameworksOutputsAndGradients(String type) throws Exception {
        assumeTrue(
                new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").start().waitFor()
                        == 0,
                "needs " + PYTHON + " with torch");
        ArchitectureConfig config =
                ModelBenchmark.subject(type, Path.of("../configs")).config().withHead("regression");
        CrystalDataset data = DatasetLoader.embeddedDefault();
        List<GraphSample> samples = new ArrayList<>();
        for (var e : data.entries()) {
            samples.add(GraphSample.of(e.structure(), config));
        }
        float[] yz = AlignnBenchmark.standardised(data.targets());
        float[] y = new float[STRUCTURES.length];
        List<GraphSample> batch = new ArrayList<>();
        for (int k = 0; k < STRUCTURES.length; k++) {
            batch.add(samples.get(STRUCTURES[k]));
            y[k] = yz[STRUCTURES[k]];
        }
        Path data0 = dir.resolve("data");
        GraphModelReference.writeData(data0, config, samples, yz, new int[][] {STRUCTURES}, 0, 2);

        Engine.getInstance().setRandomSeed(3);
        float[] infer;
        float[] train;
        double loss;
        List<Pair<String, float[]>> grads = new ArrayList<>();
        try (Model model = Model.newInstance("check")) {
            model.setBlock(config.newBlock());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(GraphBatchShapes.shapes());
                moveNorms(model);
                Path state = dir.resolve("state.json");
                GraphModelReference.writeState(state, model.getBlock());
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDList input = GraphBatch.of(m, batch).toNDList();
                    infer =
                            model.getBlock()
                                    .forward(new ParameterStore(m, false), input, false)
                                    .singletonOrThrow()
                                    .toFloatArray();
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(input).singletonOrThrow();
                        train = pred.toFloatArray();
                        NDArray l = Losses.mse(pred.reshape(-1), m.create(y));
                        loss = l.getFloat();
                        gc.backward(l);
                    }
                    for (var p : model.getBlock().getParameters()) {
                        if (p.getValue().requiresGradient()) {
                            grads.add(
                                    new Pair<>(
                                            ReferenceWeights.frameworkName(p.getKey()),
                                            p.getValue().getArray().getGradient().toFloatArray()));
                        }
                    }
                }
                Path out = dir.resolve("out.json");
                PyTorchReference.PythonRun run =
                        new PyTorchReference(PYTHON, SCRIPT)
                                .runAlone(
                                        SCRIPT,
                                        List.of(
                                                "check",
                                                "--data",
                                                data0.toString(),
                                                "--state",
                                                state.toString(),
                                                "--out",
                                                out.toString()));
                assertNotNull(run.result(), run.failure());
                JsonNode ref = new ObjectMapper().readTree(out.toFile());
                assertClose("inference outputs", infer, ref.get("infer"), 1e-5, 1e-6);
                assertClose("training outputs", train, ref.get("train"), 1e-5, 1e-6);
                assertEquals(loss, ref.get("loss").asDouble(), 1e-5 * loss, "loss");
                assertEquals(grads.size(), ref.get("grads").size(), "parameters with gradients");
                double largest = 0;
                for (Pair<String, float[]> g : grads) {
                    for (float v : g.getValue()) {
                        largest = Math.max(largest, Math.abs(v));
                    }
                }
                for (Pair<String, float[]> g : grads) {
                    JsonNode r = ref.get("grads").get(g.getKey());
                    assertNotNull(r, "the reference has no gradient for " + g.getKey());
                    assertClose(
                            g.getKey() + " gradient",
                            g.getValue(),
                            r.get("data"),
                            1e-4,
                            1e-5 * largest);
                }
                // the check compares something: BatchNorm's batch statistics move CGCNN's outputs
                if (type.equals("cgcnn")) {
                    assertTrue(Math.abs(infer[0] - train[0]) > 1e-3, infer[0] + " vs " + train[0]);
                }
                assertTrue(loss > 1e-3, "loss " + loss);
            }
        }
    }

    /**
     * Sets BatchNorm's scale, shift and running statistics away from 1, 0, 0, 1, so that a swapped
     * or ignored one changes the outputs.
     */
    private static void moveNorms(Model model) {
        SplittableRandom rng = new SplittableRandom(11);
        for (var p : model.getBlock().getParameters()) {
            String name = p.getKey();
            Parameter param = p.getValue();
            if (!name.contains("norm")) {
                continue;
            }
            NDArray a = param.getArray();
            float[] v = new float[(int) a.size()];
            boolean positive = name.endsWith("gamma") || name.endsWith("runningVar");
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (positive ? rng.nextDouble(0.5, 1.5) : rng.nextDouble(-0.5, 0.5));
            }
            a.set(v);
        }
    }

    /**
     * Element-wise agreement within {@code relative} of the largest magnitude of {@code expected}
     * plus {@code floor} (float32 sums in another order; the bias of a linear layer followed by
     * BatchNorm has a zero gradient, which both sides give as rounding noise, about 1e-6 of the
     * largest gradient).
     */
    private static void assertClose(
            String what, float[] expected, JsonNode actual, double relative, double floor) {
        assertEquals(expected.length, actual.size(), what + ": length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tolerance = relative * scale + floor;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual.get(i).asDouble(), tolerance, what + " [" + i + "]");
        }
    }
}
