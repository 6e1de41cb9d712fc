package org.fusionml.models.crystalframer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Segments;
import org.junit.jupiter.api.Test;

/**
 * The max frame on hand-made images with hand-computed frames: the atom itself never gives f_1
 * however large its score, f_2 weighs the scores by 1 - |cos(r, f_1)| and skips images parallel to
 * f_1 (either way), is made orthogonal to f_1, and f_3 = f_1 x f_2; an atom whose images are all
 * parallel gets zero f_2 and f_3. The cosines are |f_k . r|.
 */
class FramedAttentionTest {

    @Test
    void maxFramesMatchHandComputedOnes() {
        // rows: four images of atom 0, one of atom 1, then each atom itself
        int[] query = {0, 0, 0, 0, 1, 0, 1};
        double[] directions = {
            1, 0, 0, //
            0, 1, 0, //
            -1, 0, 0, //
            0.6, 0.8, 0, //
            0, 0, 1, //
            0, 0, 0, //
            0, 0, 0
        };
        // [E', H = 2]
        double[] scores = {
            2, 0, //
            0, 3, //
            1.9, 0.5, //
            1.5, 2.9, //
            0.3, -1, //
            10, 0, // atom 0 itself: largest in head 0, never a frame vector
            5, 0
        };
        try (NDManager m = NDManager.newBaseManager()) {
            PeriodicImages images =
                    new PeriodicImages(
                            GraphOps.index(m, new int[] {1, 0, 1, 1, 0, 0, 1}),
                            m.create(new double[] {2, 2, 2, 2, 2, 0, 0}),
                            m.create(directions, new Shape(7, 3)),
                            m.create(new double[] {1, 1, 1, 1, 1, 0, 0}),
                            Segments.of(m, query, 2, DataType.FLOAT64));
            NDArray frames = FramedAttention.maxFrames(m.create(scores, new Shape(7, 2)), images);
            assertArrayEquals(new long[] {2, 2, 3, 3}, frames.getShape().getShape());
            // head 0, atom 0: f_1 = row 0; f_2: rows 0 and 2 are parallel to f_1, row 1 scores
            // 0 + log 1, row 3 1.5 + log 0.4 = 0.58: row 3, (0.6, 0.8, 0) - 0.6 f_1 normalised
            // head 1, atom 0: f_1 = row 1; f_2: row 0 0, row 2 0.5, row 3 2.9 + log 0.2 = 1.29:
            // row 3 - 0.8 f_1 = (0.6, 0, 0) normalised, f_3 = (0, 1, 0) x (1, 0, 0) = (0, 0, -1)
            // atom 1: only row 4, f_2 and f_3 zero
            double[] expected = {
                // atom 0, head 0
                1, 0, 0, 0, 1, 0, 0, 0, 1,
                // atom 0, head 1
                0, 1, 0, 1, 0, 0, 0, 0, -1,
                // atom 1, head 0
                0, 0, 1, 0, 0, 0, 0, 0, 0,
                // atom 1, head 1
                0, 0, 1, 0, 0, 0, 0, 0, 0
            };
            assertArrayEquals(expected, frames.toDoubleArray(), 1e-12);
            // |f_k . r| of row 3 (atom 0) in both heads, and of the atom itself (zero)
            double[] c = FramedAttention.cosines(frames, images).toDoubleArray();
            assertArrayEquals(
                    new double[] {0.6, 0.8, 0, 0.8, 0.6, 0},
                    Arrays.copyOfRange(c, 3 * 2 * 3, 4 * 2 * 3),
                    1e-12);
            assertArrayEquals(
                    new double[] {0, 0, 0, 0, 0, 0},
                    Arrays.copyOfRange(c, 5 * 2 * 3, 6 * 2 * 3),
                    1e-12);
        }
    }

    @Test
    void builderNamesTheBadValue() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> FramedAttention.builder().setFeatures(12).optHeads(5).build());
        assertEquals("heads (5) must be > 0 and divide features (12)", e.getMessage());
    }
}
