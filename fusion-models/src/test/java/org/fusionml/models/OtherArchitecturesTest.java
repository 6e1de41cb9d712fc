package org.fusionml.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.fusionml.models.schnet.SchnetConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OtherArchitecturesTest {
    private static ArchitectureConfig config(String name) {
        return name.equals("cgcnn")
                ? CgcnnConfig.of(2, 16, 16, null, null, null, "regression", null)
                : SchnetConfig.of(2, 16, 20, null, "regression", null);
    }

    private static float[] predict(
            NDManager m, Block block, ArchitectureConfig c, List<Structure> structures) {
        List<GraphSample> samples = structures.stream().map(s -> GraphSample.of(s, c)).toList();
        NDArray out =
                block.forward(
                                new ParameterStore(m, false),
                                GraphBatch.of(m, samples).toNDList(),
                                false)
                        .singletonOrThrow();
        assertEquals(new Shape(structures.size(), 1), out.getShape());
        return out.toFloatArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cgcnn", "schnet"})
    void invariantUnderRigidMotionAndPermutationAndBatchingIsExact(String name) {
        var data = DatasetLoader.embeddedDefault();
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            ArchitectureConfig c = config(name);
            Block block = c.newBlock();
            block.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            Structure s = data.get(12).structure();
            float[] ref = predict(m, block, c, List.of(s));
            Structure moved =
                    s.transformed(
                            new double[][] {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
                            new double[] {1, 2, 3});
            assertArrayEquals(ref, predict(m, block, c, List.of(moved)), 1e-4f);
            int[] order = new int[s.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = order.length - 1 - i;
            }
            assertArrayEquals(ref, predict(m, block, c, List.of(s.permuted(order))), 1e-4f);
            float[] batch = predict(m, block, c, List.of(data.get(5).structure(), s));
            assertEquals(ref[0], batch[1], 1e-4f);
        }
    }
}
