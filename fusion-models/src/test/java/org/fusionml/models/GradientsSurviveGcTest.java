package org.fusionml.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.fusionml.models.crystalframer.CrystalframerConfig;
import org.fusionml.models.deepergatgnn.DeeperGatgnnConfig;
import org.fusionml.models.ecomformer.EcomformerConfig;
import org.fusionml.models.head.EvidentialOutput;
import org.fusionml.models.head.Losses;
import org.fusionml.models.icomformer.IcomformerConfig;
import org.fusionml.models.matformer.MatformerConfig;
import org.fusionml.models.meagraph.MeaGraphLayer;
import org.fusionml.models.megnet.MegnetConfig;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.potnet.PotnetConfig;
import org.fusionml.models.schnet.SchnetConfig;
import org.fusionml.models.sodnet.SodnetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every model, head and loss gives the same gradients whether or not the garbage collector runs
 * (and the freed memory is reused) between forward and backward. Catches any array in the autograd
 * graph that aliases Java memory, such as the constants of DJL's {@code op(Number)} overloads (see
 * {@link org.fusionml.models.ops.Scalars}): with them the DER gradients came out different here.
 */
class GradientsSurviveGcTest {
    private static CrystalDataset data;

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault();
    }

    /**
     * Forces a collection, gives its cleaners time to free unreachable direct buffers, then
     * allocates buffers of the sizes of 0-d constants filled with 7 so that freed memory is reused.
     * The returned buffers must stay reachable until backward has run.
     */
    private static List<ByteBuffer> collectAndReuse() throws InterruptedException {
        List<ByteBuffer> filled = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            Thread.sleep(20);
            for (int i = 0; i < 2000; i++) {
                ByteBuffer b =
                        ByteBuffer.allocateDirect(4 << (i % 2)).order(ByteOrder.nativeOrder());
                if (b.capacity() == 4) {
                    b.putFloat(0, 7f);
                } else {
                    b.putDouble(0, 7.0);
                }
                filled.add(b);
            }
        }
        return filled;
    }

    /**
     * Gradients of all parameters of a freshly initialised block (seeded) after one backward pass.
     */
    private static List<float[]> gradients(
            Block block,
            Shape[] shapes,
            BiFunction<NDManager, NDList, NDArray> lossOfOutput,
            NDList input,
            NDManager m,
            boolean collect)
            throws InterruptedException {
        Engine.getInstance().setRandomSeed(5);
        block.initialize(m, DataType.FLOAT32, shapes);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss =
                    lossOfOutput.apply(m, block.forward(new ParameterStore(m, false), input, true));
            List<ByteBuffer> filled = collect ? collectAndReuse() : List.of();
            gc.backward(loss);
            Reference.reachabilityFence(filled);
        }
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) { // not BatchNorm's running statistics
                out.add(p.getValue().getArray().getGradient().toFloatArray());
            }
        }
        return out;
    }

    /**
     * Gradients of a fresh block (same seed) once undisturbed, then three times with a collection
     * between forward and backward: all must be equal bit for bit.
     */
    private static void assertSameWithAndWithoutCollection(
            Supplier<Block> block,
            Shape[] shapes,
            Function<NDManager, NDList> input,
            BiFunction<NDManager, NDList, NDArray> loss)
            throws InterruptedException {
        List<float[]> plain;
        try (NDManager m = NDManager.newBaseManager()) {
            plain = gradients(block.get(), shapes, loss, input.apply(m), m, false);
        }
        for (int repeat = 0; repeat < 3; repeat++) {
            try (NDManager m = NDManager.newBaseManager()) {
                List<float[]> collected =
                        gradients(block.get(), shapes, loss, input.apply(m), m, true);
                for (int p = 0; p < plain.size(); p++) {
                    assertArrayEquals(
                            plain.get(p),
                            collected.get(p),
                            0f,
                            "parameter " + p + ", repeat " + repeat);
                }
            }
        }
    }

    /** The same for a graph model on four jdft2d structures. */
    private static void assertSameWithAndWithoutCollection(
            ArchitectureConfig config, BiFunction<NDManager, NDList, NDArray> loss)
            throws InterruptedException {
        List<GraphSample> samples =
                List.of(1, 7, 12, 40).stream()
                        .map(i -> GraphSample.of(data.get(i).structure(), config))
                        .toList();
        assertSameWithAndWithoutCollection(
                config::newBlock,
                GraphBatchShapes.shapes(),
                m -> GraphBatch.of(m, samples).toNDList(),
                loss);
    }

    private static NDArray targets(NDManager m) {
        return m.create(new float[] {0.3f, -1.2f, 0.8f, 2.0f});
    }

    @Test
    void alignnWithTheEvidentialHeadAndDerLoss() throws InterruptedException {
        assertSameWithAndWithoutCollection(
                AlignnConfig.of(1, 1, 16, 8, null, null, null, null, "evidential", null),
                (m, out) ->
                        Losses.der(
                                EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                targets(m),
                                0.01f));
    }

    @Test
    void cgcnnAndSchnetWithTheMseLoss() throws InterruptedException {
        for (ArchitectureConfig c :
                List.of(
                        CgcnnConfig.of(2, 16, 16, null, null, null, "regression", null),
                        SchnetConfig.of(2, 16, 20, null, "regression", null))) {
            assertSameWithAndWithoutCollection(
                    c, (m, out) -> Losses.mse(out.singletonOrThrow().reshape(-1), targets(m)));
        }
    }

    @Test
    void megnetAndDeeperGatgnnWithTheEvidentialHeadAndDerLoss() throws InterruptedException {
        for (ArchitectureConfig c :
                List.of(
                        MegnetConfig.of(2, 8, 16, 8, 8, 2, 20, null, null, "evidential", null),
                        DeeperGatgnnConfig.of(
                                3, 8, 2, 3, null, 20, null, null, null, "evidential", null))) {
            assertSameWithAndWithoutCollection(
                    c,
                    (m, out) ->
                            Losses.der(
                                    EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                    targets(m),
                                    0.01f));
        }
    }

    @Test
    void matformerIcomformerAndEcomformerWithTheEvidentialHeadAndDerLoss()
            throws InterruptedException {
        for (ArchitectureConfig c :
                List.of(
                        MatformerConfig.of(2, 16, 2, 20, 16, null, null, "evidential", null),
                        IcomformerConfig.of(2, 16, 2, 20, 20, 16, null, null, "evidential", null),
                        EcomformerConfig.of(
                                2, 16, 2, 20, 8, 4, 16, null, null, "evidential", null))) {
            assertSameWithAndWithoutCollection(
                    c,
                    (m, out) ->
                            Losses.der(
                                    EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                    targets(m),
                                    0.01f));
        }
    }

    @Test
    void potnetWithTheEvidentialHeadAndDerLoss() throws InterruptedException {
        assertSameWithAndWithoutCollection(
                PotnetConfig.of(2, 16, 20, 20, 16, null, 12, "evidential", null),
                (m, out) ->
                        Losses.der(
                                EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                targets(m),
                                0.01f));
    }

    @Test
    void crystalframerWithTheEvidentialHeadAndDerLoss() throws InterruptedException {
        assertSameWithAndWithoutCollection(
                CrystalframerConfig.of(2, 16, 2, 32, 16, 8, 16, null, 6.0, "evidential", null),
                (m, out) ->
                        Losses.der(
                                EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                targets(m),
                                0.01f));
    }

    @Test
    void meaGraphLayer() throws InterruptedException {
        int n = 60;
        int f = 12;
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(0.37 * i) + (i % f == (i / f) % 3 ? 1f : 0f);
        }
        List<Integer> src = new ArrayList<>();
        List<Integer> dst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j && i % 3 == j % 3) {
                    src.add(j);
                    dst.add(i);
                }
            }
        }
        int[] s = src.stream().mapToInt(Integer::intValue).toArray();
        int[] d = dst.stream().mapToInt(Integer::intValue).toArray();
        Shape[] shapes = {
            new Shape(n, f), new Shape(s.length), new Shape(d.length), new Shape(n, d.length)
        };
        assertSameWithAndWithoutCollection(
                () ->
                        MeaGraphLayer.builder()
                                .setInFeatures(f)
                                .setOutFeatures(8)
                                .optKernels(3)
                                .build(),
                shapes,
                m ->
                        new NDList(
                                m.create(x, new Shape(n, f)),
                                GraphOps.index(m, s),
                                GraphOps.index(m, d),
                                GraphOps.segmentSum(m, d, n)),
                (m, out) -> out.get(0).square().mean().add(out.get(1).square().sum()));
    }

    @Test
    void sodnetWithTheEvidentialHeadAndDerLoss() throws InterruptedException {
        // residual factors at 0.5 (the paper's 0 would give the blocks' parameters no gradient)
        assertSameWithAndWithoutCollection(
                SodnetConfig.of(2, 2, 8, 4, 4, 2, 2, 20, 8, 16, 0.5, null, 12, "evidential", null),
                (m, out) ->
                        Losses.der(
                                EvidentialOutput.fromRaw(out.singletonOrThrow()),
                                targets(m),
                                0.01f));
    }
}
