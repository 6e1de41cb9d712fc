package org.fusionml.models.alignn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AlignnBlockTest {
    private static CrystalDataset data;
    private static final KnnGraphBuilder GRAPHS = KnnGraphBuilder.alignn();

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault();
    }

    private static float[] predict(NDManager m, AlignnBlock block, List<Structure> structures) {
        List<GraphSample> samples =
                structures.stream().map(s -> GraphSample.of(s, GRAPHS)).toList();
        GraphBatch b = GraphBatch.of(m, samples);
        NDArray out =
                block.forward(new ParameterStore(m, false), b.toNDList(), false).singletonOrThrow();
        assertEquals(new Shape(structures.size(), block.config().outputs()), out.getShape());
        return out.toFloatArray();
    }

    private static AlignnBlock small(NDManager m) {
        Engine.getInstance().setRandomSeed(11);
        AlignnBlock block =
                new AlignnBlock(
                        AlignnConfig.of(1, 1, 16, 8, null, null, null, null, "evidential", null));
        block.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
        return block;
    }

    @Test
    void predictionsAreInvariantUnderRotationTranslationAndPermutation() {
        try (NDManager m = NDManager.newBaseManager()) {
            AlignnBlock block = small(m);
            Structure s = data.get(3).structure();
            float[] ref = predict(m, block, List.of(s));
            double c = Math.cos(1.1);
            double si = Math.sin(1.1);
            Structure moved =
                    s.transformed(
                            new double[][] {{c, -si, 0}, {si, c, 0}, {0, 0, 1}},
                            new double[] {2.5, -1, 7});
            assertArrayEquals(ref, predict(m, block, List.of(moved)), 1e-4f);
            int[] order = new int[s.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i + 2) % order.length;
            }
            assertArrayEquals(ref, predict(m, block, List.of(s.permuted(order))), 1e-4f);
        }
    }

    @Test
    void batchedPredictionsEqualSingleOnes() {
        try (NDManager m = NDManager.newBaseManager()) {
            AlignnBlock block = small(m);
            List<Structure> three =
                    List.of(
                            data.get(0).structure(),
                            data.get(40).structure(),
                            data.get(77).structure());
            float[] batched = predict(m, block, three);
            for (int k = 0; k < 3; k++) {
                float[] one = predict(m, block, List.of(three.get(k)));
                for (int q = 0; q < 4; q++) {
                    assertEquals(one[q], batched[4 * k + q], 1e-4f);
                }
            }
        }
    }

    /**
     * The last line-graph layer's angle output and the last GCN layer's bond output are not read
     * (and not computed): their parameters cannot change a prediction, while the same layers' node
     * parameters do; without GCN layers the whole last line-graph layer is unread.
     */
    @Test
    void parametersOfUnreadOutputsDoNotChangePredictions() {
        List<Structure> two = List.of(data.get(5).structure(), data.get(60).structure());
        try (NDManager m = NDManager.newBaseManager()) {
            AlignnBlock block = small(m);
            float[] ref = predict(m, block, two);
            shift(block, "alignn_0_bonds", "edge_norm");
            shift(block, "gcn_0", "edge_norm");
            assertArrayEquals(ref, predict(m, block, two), 0f);
            shift(block, "alignn_0_bonds", "node_norm");
            assertNotEquals(ref[0], predict(m, block, two)[0]);

            Engine.getInstance().setRandomSeed(11);
            AlignnBlock noGcn =
                    new AlignnBlock(
                            AlignnConfig.of(
                                    1, 0, 16, 8, null, null, null, null, "evidential", null));
            noGcn.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            float[] before = predict(m, noGcn, two);
            shift(noGcn, "alignn_0_bonds", "");
            assertArrayEquals(before, predict(m, noGcn, two), 0f);
            shift(noGcn, "alignn_0_atoms", "node_norm");
            assertNotEquals(before[0], predict(m, noGcn, two)[0]);
        }
    }

    /** Adds 0.5 to every parameter whose name contains both parts. */
    private static void shift(AlignnBlock block, String layer, String part) {
        int shifted = 0;
        for (var p : block.getParameters()) {
            if (p.getKey().contains(layer) && p.getKey().contains(part)) {
                NDArray a = p.getValue().getArray();
                float[] v = a.toFloatArray();
                for (int i = 0; i < v.length; i++) {
                    v[i] += 0.5f;
                }
                a.set(v);
                shifted++;
            }
        }
        assertNotEquals(0, shifted, layer + " " + part);
    }
}
