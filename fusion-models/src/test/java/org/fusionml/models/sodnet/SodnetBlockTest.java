package org.fusionml.models.sodnet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.equivariant.Wigner;
import org.junit.jupiter.api.Test;

/**
 * SODNet's internal features turn with the structure, and its site-occupancy embedding reduces to
 * the ordered model when every site holds one species with occupancy 1.
 */
class SodnetBlockTest {
    /** Two blocks, degrees 0..2, residual factors 0.5 so that the attention counts. */
    private static final SodnetConfig CONFIG =
            SodnetConfig.of(2, 2, 8, 4, 4, 2, 2, 20, 8, 16, 0.5, null, 12, "regression", null);

    private static final Structure CRYSTAL = DatasetLoader.embeddedDefault().get(12).structure();

    /**
     * After the embedding and after the first block, for random rotations (and translations) of a
     * crystal: the scalars are the same, the degree-1 features are D^1(R) v and the degree-2
     * features D^2(R) t, with D^l the Wigner matrices of the harmonics; under the reflection x
     * -&gt; -x the degree-l features change as Y_l does, (y, z, x) -&gt; (y, z, -x) and (xy, yz,
     * 3z^2 - 1, xz, x^2 - y^2) -&gt; (-xy, yz, 3z^2 - 1, -xz, x^2 - y^2).
     */
    @Test
    void internalFeaturesOfDegreesOneAndTwoAreEquivariant() {
        SplittableRandom rng = new SplittableRandom(4);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SodnetBlock block = CONFIG.newBlock();
            block.initialize(m, DataType.FLOAT64, GraphBatchShapes.shapes());
            ParameterStore ps = new ParameterStore(m, false);
            for (int depth = 0; depth < 2; depth++) {
                NDList ref = irreps(m, ps, block, CRYSTAL, depth);
                for (int trial = 0; trial < 3; trial++) {
                    double[][] r = Wigner.randomRotation(rng);
                    double[][] d = Wigner.of(m, r);
                    Structure moved = CRYSTAL.transformed(r, new double[] {1.5, -2, 0.25 * trial});
                    NDList rot = irreps(m, ps, block, moved, depth);
                    double[] s0 = ref.get(0).toDoubleArray();
                    assertArrayEquals(s0, rot.get(0).toDoubleArray(), 1e-5 * maxAbs(s0));
                    for (int l = 1; l <= 2; l++) {
                        assertRotated(ref.get(l).toDoubleArray(), rot.get(l).toDoubleArray(), d, l);
                    }
                }
                double[][] mirror = {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
                NDList reflected =
                        irreps(m, ps, block, CRYSTAL.transformed(mirror, new double[3]), depth);
                assertSigns(ref.get(1).toDoubleArray(), reflected.get(1).toDoubleArray(), 1, 1, -1);
                assertSigns(
                        ref.get(2).toDoubleArray(),
                        reflected.get(2).toDoubleArray(),
                        -1,
                        1,
                        1,
                        -1,
                        1);
            }
        }
    }

    /**
     * With one species of occupancy 1 per site the embedding is exactly the linear embedding of the
     * atom features, and the block's prediction is bit for bit the one it makes from the batch
     * alone; a site written as its species twice with occupancies 0.5 and 0.5, or as its species
     * with 1 and another with 0, predicts the same (within float64 rounding); a half-empty site (a
     * vacancy) predicts something else.
     */
    @Test
    void occupancyEmbeddingReducesToTheOrderedModel() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            SodnetBlock block = CONFIG.newBlock();
            block.initialize(m, DataType.FLOAT64, GraphBatchShapes.shapes());
            ParameterStore ps = new ParameterStore(m, false);
            NDList in =
                    batch(m, List.of(CRYSTAL, DatasetLoader.embeddedDefault().get(5).structure()));
            NDArray x = GraphBatch.fromNDList(in).atomFeatures();
            long n = x.getShape().get(0);

            OccupancyEmbedding embedding = new OccupancyEmbedding(8);
            embedding.initialize(
                    m, DataType.FLOAT64, new Shape(1, 1, AtomFeatures.SIZE), new Shape(1, 1));
            NDArray linear =
                    embedding
                            .getChildren()
                            .get(0)
                            .getValue()
                            .forward(ps, new NDList(x), false)
                            .singletonOrThrow();
            assertArrayEquals(
                    linear.toDoubleArray(),
                    embedding.apply(ps, SiteOccupancy.ordered(x), false).toDoubleArray(),
                    0);

            double[] ordered = block.forward(ps, in, false).singletonOrThrow().toDoubleArray();
            double[] explicit =
                    block.forward(ps, in, SiteOccupancy.ordered(x), false)
                            .singletonOrThrow()
                            .toDoubleArray();
            assertArrayEquals(ordered, explicit, 0);

            NDArray twice = x.expandDims(1).repeat(1, 2);
            NDArray halves = m.full(new Shape(n, 2), 0.5f, DataType.FLOAT64);
            assertArrayEquals(
                    ordered,
                    predict(block, ps, in, new SiteOccupancy(twice, halves)),
                    1e-12 * maxAbs(ordered));

            // the other species: the atoms' features in reverse order
            NDArray withOther = x.expandDims(1).concat(x.flip(0).expandDims(1), 1);
            NDArray oneAndZero = m.create(new double[] {1, 0}).reshape(1, 2).repeat(0, n);
            assertArrayEquals(
                    ordered,
                    predict(block, ps, in, new SiteOccupancy(withOther, oneAndZero)),
                    1e-12 * maxAbs(ordered));

            NDArray vacancy = m.ones(new Shape(n, 1), DataType.FLOAT64);
            vacancy.set(new NDIndex("0, 0"), 0.5);
            double[] vacant = predict(block, ps, in, new SiteOccupancy(x.expandDims(1), vacancy));
            assertTrue(
                    Math.abs(vacant[0] - ordered[0]) > 1e-6 * Math.abs(ordered[0]),
                    "a vacancy changes the prediction: " + ordered[0] + " " + vacant[0]);
            assertEquals(ordered[1], vacant[1], 1e-12 * Math.abs(ordered[1]), "the other crystal");
        }
    }

    /**
     * The embedding of a mixed site is the occupancy-weighted sum of its species' embeddings: 0.7
     * of one species and 0.2 of another (and 0.1 vacant) is 0.7 e_A + 0.2 e_B.
     */
    @Test
    void mixedSiteIsTheWeightedSumOfItsSpecies() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            OccupancyEmbedding embedding = new OccupancyEmbedding(8);
            embedding.initialize(
                    m, DataType.FLOAT64, new Shape(1, 1, AtomFeatures.SIZE), new Shape(1, 1));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray a =
                    m.randomNormal(new Shape(1, AtomFeatures.SIZE)).toType(DataType.FLOAT64, false);
            NDArray b =
                    m.randomNormal(new Shape(1, AtomFeatures.SIZE)).toType(DataType.FLOAT64, false);
            double[] ea = embedding.apply(ps, SiteOccupancy.ordered(a), false).toDoubleArray();
            double[] eb = embedding.apply(ps, SiteOccupancy.ordered(b), false).toDoubleArray();
            NDArray species = a.concat(b, 0).expandDims(0);
            NDArray occupancy = m.create(new double[] {0.7, 0.2}).reshape(1, 2);
            double[] mixed =
                    embedding
                            .apply(ps, new SiteOccupancy(species, occupancy), false)
                            .toDoubleArray();
            for (int k = 0; k < mixed.length; k++) {
                assertEquals(0.7 * ea[k] + 0.2 * eb[k], mixed[k], 1e-12, "channel " + k);
            }
        }
    }

    private static double[] predict(
            SodnetBlock block, ParameterStore ps, NDList in, SiteOccupancy s) {
        return block.forward(ps, in, s, false).singletonOrThrow().toDoubleArray();
    }

    private static NDList batch(NDManager m, List<Structure> structures) {
        NDList in = new NDList();
        List<GraphSample> samples =
                structures.stream().map(s -> GraphSample.of(s, CONFIG)).toList();
        for (NDArray a : GraphBatch.of(m, samples).toNDList()) {
            in.add(a.getDataType() == DataType.FLOAT32 ? a.toType(DataType.FLOAT64, false) : a);
        }
        return in;
    }

    private static NDList irreps(
            NDManager m, ParameterStore ps, SodnetBlock block, Structure s, int depth) {
        NDList in = batch(m, List.of(s));
        return block.irreps(
                ps, in, SiteOccupancy.ordered(GraphBatch.fromNDList(in).atomFeatures()), depth);
    }

    /** rotated = D^l ref for every block of 2l + 1 values, within 1e-5 of the largest. */
    private static void assertRotated(double[] ref, double[] rotated, double[][] d, int l) {
        int dim = 2 * l + 1;
        double scale = maxAbs(ref);
        assertTrue(scale > 1e-3, "degree " + l + " features are not zero");
        for (int k = 0; k < ref.length; k += dim) {
            for (int a = 0; a < dim; a++) {
                double expected = 0;
                for (int b = 0; b < dim; b++) {
                    expected += d[l * l + a][l * l + b] * ref[k + b];
                }
                assertEquals(expected, rotated[k + a], 1e-5 * scale, "degree " + l + " at " + k);
            }
        }
    }

    private static void assertSigns(double[] ref, double[] reflected, int... signs) {
        double scale = maxAbs(ref);
        assertTrue(scale > 1e-3, "features are not zero");
        for (int k = 0; k < ref.length; k++) {
            assertEquals(signs[k % signs.length] * ref[k], reflected[k], 1e-5 * scale, "at " + k);
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
