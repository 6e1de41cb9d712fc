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
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.head.Losses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plain PyTorch models of {@code bench/graph_models_pytorch_ref.py} compute what the
 * framework's blocks compute: with the same weights (BatchNorm's scale, shift and running
 * statistics set away from their initial values) and on a batch of five jdft2d graphs the framework
 * wrote, the outputs in inference mode, the outputs in training mode (batch statistics), the MSE
 * loss and the gradient of every parameter agree to float32 rounding. CGCNN and SchNet take the
 * framework's weights; the framework's ALIGNN takes the shared folder's ALIGNN reference's ({@link
 * ReferenceWeights}). Skipped where {@code /usr/bin/python3} has no torch (and, for ALIGNN, where
 * the shared folder has no reference).
 */
class GraphModelReferenceTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final Path SCRIPT = Path.of("../" + GraphModelReference.SCRIPT);
    private static final Path CONFIGS = Path.of("../configs");

    /** Five jdft2d structures of different sizes. */
    private static final int[] STRUCTURES = {0, 7, 100, 250, 600};

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"cgcnn", "schnet"})
    void theReferenceComputesTheFrameworksOutputsAndGradients(String type) throws Exception {
        assumeTorch();
        ArchitectureConfig config =
                ModelBenchmark.subject(type, CONFIGS).config().withHead("regression");
        Path data = writeBatch(config);
        Path state = dir.resolve("state.json");
        Outputs fusion =
                frameworkOutputs(
                        config,
                        data,
                        block -> {
                            moveNorms(block);
                            GraphModelReference.writeState(state, block);
                        });
        JsonNode ref = check(data, List.of("--state", state.toString()), UnaryOperator.identity());
        compare(fusion, ref);
        // the check compares something: BatchNorm's batch statistics move CGCNN's outputs
        if (type.equals("cgcnn")) {
            assertTrue(
                    Math.abs(fusion.infer()[0] - fusion.train()[0]) > 1e-3,
                    fusion.infer()[0] + " vs " + fusion.train()[0]);
        }
    }

    @Test
    void theAlignnReferenceComputesWhatTheFrameworkComputesWithItsWeights() throws Exception {
        assumeTorch();
        Path alignn =
                Path.of(System.getProperty("fusion.shared", "../shared"))
                        .resolve("bench/alignn_pytorch_ref.py");
        assumeTrue(Files.isRegularFile(alignn), "needs " + alignn);
        ArchitectureConfig config =
                ModelBenchmark.subject("alignn", CONFIGS).config().withHead("regression");
        Path data = writeBatch(config);
        Path state = dir.resolve("reference_state.json");
        JsonNode ref =
                check(
                        data,
                        List.of("--alignn-ref", alignn.toString(), "--state-out", state.toString()),
                        name -> ReferenceWeights.frameworkName(name, state));
        Outputs fusion =
                frameworkOutputs(config, data, block -> ReferenceWeights.copy(state, block));
        compare(fusion, ref);
        assertTrue(
                Math.abs(fusion.infer()[0] - fusion.train()[0]) > 1e-3,
                fusion.infer()[0] + " vs " + fusion.train()[0]);
    }

    private static void assumeTorch() throws Exception {
        assumeTrue(
                new ProcessBuilder(PYTHON.toString(), "-c", "import torch, numpy").start().waitFor()
                        == 0,
                "needs " + PYTHON + " with torch");
    }

    /** The folder holding the graphs of {@link #STRUCTURES} for {@code config}, as one batch. */
    private Path writeBatch(ArchitectureConfig config) throws Exception {
        CrystalDataset all = DatasetLoader.embeddedDefault();
        float[] yzAll = AlignnBenchmark.standardised(all.targets());
        List<GraphSample> samples = new ArrayList<>();
        float[] yz = new float[STRUCTURES.length];
        int[] batch = new int[STRUCTURES.length];
        for (int k = 0; k < STRUCTURES.length; k++) {
            samples.add(GraphSample.of(all.entries().get(STRUCTURES[k]).structure(), config));
            yz[k] = yzAll[STRUCTURES[k]];
            batch[k] = k;
        }
        Path data = dir.resolve("data");
        GraphModelReference.writeData(data, config, samples, yz, new int[][] {batch}, 0, 2);
        return data;
    }

    /**
     * The framework's outputs, loss and gradients on the written batch.
     *
     * @param infer [B] in inference mode (running statistics), before any training-mode pass
     * @param train [B] in training mode (batch statistics)
     * @param loss MSE of {@code train} against the standardised targets
     * @param grads the gradient of every trained parameter, by framework name
     */
    private record Outputs(float[] infer, float[] train, double loss, Map<String, float[]> grads) {}

    /** What sets the weights of the initialised block. */
    private interface Weights {
        void set(Block block) throws Exception;
    }

    private static Outputs frameworkOutputs(ArchitectureConfig config, Path data, Weights weights)
            throws Exception {
        List<GraphSample> batch = new ArrayList<>();
        CrystalDataset all = DatasetLoader.embeddedDefault();
        float[] yzAll = AlignnBenchmark.standardised(all.targets());
        float[] y = new float[STRUCTURES.length];
        for (int k = 0; k < STRUCTURES.length; k++) {
            batch.add(GraphSample.of(all.entries().get(STRUCTURES[k]).structure(), config));
            y[k] = yzAll[STRUCTURES[k]];
        }
        Engine.getInstance().setRandomSeed(3);
        try (Model model = Model.newInstance("check")) {
            model.setBlock(config.newBlock());
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()))) {
                trainer.initialize(GraphBatchShapes.shapes());
                weights.set(model.getBlock());
                try (NDManager m = trainer.getManager().newSubManager()) {
                    NDList input = GraphBatch.of(m, batch).toNDList();
                    float[] infer =
                            model.getBlock()
                                    .forward(new ParameterStore(m, false), input, false)
                                    .singletonOrThrow()
                                    .toFloatArray();
                    float[] train;
                    double loss;
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(input).singletonOrThrow();
                        train = pred.toFloatArray();
                        NDArray l = Losses.mse(pred.reshape(-1), m.create(y));
                        loss = l.getFloat();
                        gc.backward(l);
                    }
                    Map<String, float[]> grads = new TreeMap<>();
                    for (var p : model.getBlock().getParameters()) {
                        if (p.getValue().requiresGradient()) {
                            grads.put(
                                    ReferenceWeights.frameworkName(p.getKey()),
                                    p.getValue().getArray().getGradient().toFloatArray());
                        }
                    }
                    return new Outputs(infer, train, loss, grads);
                }
            }
        }
    }

    /**
     * Runs the reference's {@code check} on {@code data} with {@code args}; its result with the
     * gradients renamed by {@code gradName} to the framework's names.
     */
    private JsonNode check(Path data, List<String> args, UnaryOperator<String> gradName)
            throws Exception {
        Path out = dir.resolve("out.json");
        List<String> all = new ArrayList<>(List.of("check", "--data", data.toString()));
        all.addAll(args);
        all.addAll(List.of("--out", out.toString()));
        PyTorchReference.PythonRun run = new PyTorchReference(PYTHON, SCRIPT).runAlone(SCRIPT, all);
        assertNotNull(run.result(), run.failure());
        ObjectMapper json = new ObjectMapper();
        ObjectNode ref = (ObjectNode) json.readTree(out.toFile());
        ObjectNode grads = json.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = ref.get("grads").fields(); it.hasNext(); ) {
            var e = it.next();
            grads.set(gradName.apply(e.getKey()), e.getValue());
        }
        ref.set("grads", grads);
        return ref;
    }

    private static void compare(Outputs fusion, JsonNode ref) {
        assertClose("inference outputs", fusion.infer(), ref.get("infer"), 1e-5, 1e-6);
        assertClose("training outputs", fusion.train(), ref.get("train"), 1e-5, 1e-6);
        assertEquals(fusion.loss(), ref.get("loss").asDouble(), 1e-5 * fusion.loss(), "loss");
        assertTrue(fusion.loss() > 1e-3, "loss " + fusion.loss());
        assertEquals(fusion.grads().size(), ref.get("grads").size(), "parameters with gradients");
        double largest = 0;
        for (float[] g : fusion.grads().values()) {
            for (float v : g) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        for (var g : fusion.grads().entrySet()) {
            JsonNode r = ref.get("grads").get(g.getKey());
            assertNotNull(r, "the reference has no gradient for " + g.getKey());
            assertClose(
                    g.getKey() + " gradient", g.getValue(), r.get("data"), 1e-4, 1e-5 * largest);
        }
    }

    /**
     * Sets BatchNorm's scale, shift and running statistics away from 1, 0, 0, 1, so that a swapped
     * or ignored one changes the outputs.
     */
    private static void moveNorms(Block block) {
        SplittableRandom rng = new SplittableRandom(11);
        for (var p : block.getParameters()) {
            String name = p.getKey();
            if (!name.contains("norm")) {
                continue;
            }
            NDArray a = p.getValue().getArray();
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
