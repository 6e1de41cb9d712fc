package org.fusionml.models.ecomformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.equivariant.Wigner;
import org.junit.jupiter.api.Test;

/**
 * The internal features of eComFormer's equivariant update turn with the structure: for a rotated
 * and translated copy, the scalars s' are the same, the degree-1 features v are R v (in the (y, z,
 * x) order of the harmonics) and the degree-2 features t are D^2(R) t, D^2 the Wigner matrix
 * obtained from the harmonics; with a reflection instead, the features of degree 1 are not R v (the
 * update is SO(3)-equivariant through the harmonics, not by accident).
 */
class EcomformerBlockTest {
    @Test
    void internalFeaturesAreEquivariant() {
        EcomformerConfig c =
                EcomformerConfig.of(2, 16, 2, 20, 8, 4, 16, null, null, "regression", null);
        Structure s = DatasetLoader.embeddedDefault().get(12).structure();
        SplittableRandom rng = new SplittableRandom(4);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            EcomformerBlock block = c.newBlock();
            block.initialize(m, DataType.FLOAT64, GraphBatchShapes.shapes());
            ParameterStore ps = new ParameterStore(m, false);
            for (int trial = 0; trial < 3; trial++) {
                double[][] r = Wigner.randomRotation(rng);
                double[][] d = Wigner.of(m, r);
                Structure moved = s.transformed(r, new double[] {1.5, -2, 0.25 * trial});
                NDList ref = first(m, ps, block, c, s);
                NDList rot = first(m, ps, block, c, moved);
                double[] s0 = ref.get(0).toDoubleArray();
                double[] s1 = rot.get(0).toDoubleArray();
                double scale = maxAbs(s0);
                for (int k = 0; k < s0.length; k++) {
                    assertEquals(s0[k], s1[k], 1e-5 * scale, "scalar " + k);
                }
                assertRotated(ref.get(1).toDoubleArray(), rot.get(1).toDoubleArray(), d, 1);
                assertRotated(ref.get(2).toDoubleArray(), rot.get(2).toDoubleArray(), d, 2);
            }
            // a reflection (x -> -x): the harmonics and the parity-keeping paths make the update
            // equivariant to it too; the degree-1 features (y, z, x) become (y, z, -x)
            double[][] mirror = {{-1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
            double[] v0 = first(m, ps, block, c, s).get(1).toDoubleArray();
            double[] v1 =
                    first(m, ps, block, c, s.transformed(mirror, new double[3]))
                            .get(1)
                            .toDoubleArray();
            double scale = maxAbs(v0);
            for (int k = 0; k < v0.length; k += 3) {
                assertEquals(v0[k], v1[k], 1e-5 * scale);
                assertEquals(v0[k + 1], v1[k + 1], 1e-5 * scale);
                assertEquals(-v0[k + 2], v1[k + 2], 1e-5 * scale);
            }
        }
    }

    /** s' [N, S], v [N, V, 3], t [N, V, 5] of {@code s} in float64. */
    private static NDList first(
            NDManager m,
            ParameterStore ps,
            EcomformerBlock block,
            EcomformerConfig c,
            Structure s) {
        NDList in = new NDList();
        for (NDArray a : GraphBatch.of(m, List.of(GraphSample.of(s, c))).toNDList()) {
            in.add(a.getDataType() == DataType.FLOAT32 ? a.toType(DataType.FLOAT64, false) : a);
        }
        GraphBatch b = GraphBatch.fromNDList(in);
        NDList he = block.beforeEquivariantUpdate(ps, in);
        return block.equivariantUpdate()
                .firstConvolution(
                        ps,
                        he.get(0),
                        he.get(1),
                        b.bondVectors(),
                        b.edgeSrc(),
                        b.edgeToAtom(),
                        false);
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

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
