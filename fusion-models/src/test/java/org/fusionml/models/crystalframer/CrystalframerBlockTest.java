package org.fusionml.models.crystalframer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.batch.GraphSample;
import org.fusionml.models.equivariant.Wigner;
import org.junit.jupiter.api.Test;

/**
 * CrystalFramer's max frames turn with the structure and the features read through them do not: for
 * random rotations (and a translation) every frame vector f_k of every atom and head becomes R f_k
 * and every image's cosines stay the same; the frames are orthonormal and right-handed. The
 * prediction does not depend on how ties between images are broken: the same crystal in another
 * basis, mirrored and with its atoms reordered is predicted the same.
 */
class CrystalframerBlockTest {
    private static final CrystalframerConfig CONFIG =
            CrystalframerConfig.of(2, 16, 2, 32, 16, 8, 16, null, 6.0, "regression", null);

    @Test
    void framesTurnWithTheStructureAndTheirCosinesAreInvariant() {
        SplittableRandom rng = new SplittableRandom(5);
        Structure s = rattled(DatasetLoader.embeddedDefault().get(12).structure(), rng);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            CrystalframerBlock block = CONFIG.newBlock();
            block.initialize(m, DataType.FLOAT64, GraphBatchShapes.shapes());
            ParameterStore ps = new ParameterStore(m, false);
            NDList ref = frames(m, ps, block, s);
            double[] f0 = ref.get(0).toDoubleArray();
            double[] c0 = ref.get(1).toDoubleArray();
            assertOrthonormal(f0);
            double spread = 0;
            for (double c : c0) {
                assertTrue(c >= 0 && c <= 1 + 1e-12, "|cos| in [0, 1]: " + c);
                spread = Math.max(spread, Math.abs(c - c0[0]));
            }
            assertTrue(spread > 0.5, "the cosines vary over the images");
            for (int trial = 0; trial < 3; trial++) {
                double[][] r = Wigner.randomRotation(rng);
                Structure moved = s.transformed(r, new double[] {0.3, -1, trial});
                NDList rot = frames(m, ps, block, moved);
                double[] f1 = rot.get(0).toDoubleArray();
                for (int v = 0; v < f0.length; v += 3) {
                    for (int a = 0; a < 3; a++) {
                        double expected =
                                r[a][0] * f0[v] + r[a][1] * f0[v + 1] + r[a][2] * f0[v + 2];
                        assertEquals(expected, f1[v + a], 1e-6, "frame component " + (v + a));
                    }
                }
                double[] c1 = rot.get(1).toDoubleArray();
                int[] match = matching(s, moved, r);
                int perRow = c0.length / match.length;
                for (int e = 0; e < match.length; e++) {
                    for (int k = 0; k < perRow; k++) {
                        assertEquals(
                                c0[e * perRow + k],
                                c1[match[e] * perRow + k],
                                1e-6,
                                "image " + e + ", cosine " + k);
                    }
                }
            }
        }
    }

    @Test
    void tiesBetweenImagesDoNotChangeThePrediction() {
        Structure s = DatasetLoader.embeddedDefault().get(12).structure();
        Lattice rebased = s.lattice().transform(new int[][] {{1, 0, 0}, {1, 1, 0}, {0, 0, 1}});
        List<Site> sites = new ArrayList<>();
        for (int i = s.size() - 1; i >= 0; i--) {
            double[] r = s.cartesian(i);
            sites.add(new Site(s.element(i), rebased.toFractional(r)));
        }
        Structure other = new Structure(rebased, sites);
        // a mirror (x -> -x) of the lattice and the atoms, written as a left-handed cell
        double[][] mm = s.lattice().matrix();
        for (double[] row : mm) {
            row[0] = -row[0];
        }
        List<Site> mirroredSites = new ArrayList<>();
        for (Site site : s.sites()) {
            mirroredSites.add(new Site(site.element(), site.frac()));
        }
        Structure mirrored = new Structure(Lattice.of(mm), mirroredSites);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            CrystalframerBlock block = CONFIG.newBlock();
            block.initialize(m, DataType.FLOAT64, GraphBatchShapes.shapes());
            ParameterStore ps = new ParameterStore(m, false);
            double ref = predict(m, ps, block, s);
            assertEquals(ref, predict(m, ps, block, other), 1e-5 * Math.abs(ref), "basis");
            assertEquals(ref, predict(m, ps, block, mirrored), 1e-5 * Math.abs(ref), "mirror");
        }
    }

    /**
     * {@code s} with its atoms moved at random by up to 0.02 of a lattice vector: without the
     * crystal's symmetry, whose tied images would let rounding pick another of two frames (with the
     * same cosines, but for other images) in a rotated copy.
     */
    private static Structure rattled(Structure s, SplittableRandom rng) {
        List<Site> sites = new ArrayList<>();
        for (Site site : s.sites()) {
            double[] f = site.frac();
            for (int k = 0; k < 3; k++) {
                f[k] += rng.nextDouble(-0.02, 0.02);
            }
            sites.add(new Site(site.element(), f));
        }
        return new Structure(s.lattice(), sites);
    }

    /**
     * For every image row of {@code s} (bonds, then the atoms themselves), its row in {@code
     * moved}, {@code s} turned by {@code r}: the bond with the same atoms whose vector is r times
     * the original (the neighbour search may list the bonds of a moved crystal in another order).
     */
    private static int[] matching(Structure s, Structure moved, double[][] r) {
        GraphSample a = GraphSample.of(s, CONFIG);
        GraphSample b = GraphSample.of(moved, CONFIG);
        assertEquals(a.numEdges(), b.numEdges(), "as many bonds");
        int[] out = new int[a.numEdges() + a.numAtoms()];
        float[] va = a.bondVectors();
        float[] vb = b.bondVectors();
        for (int e = 0; e < a.numEdges(); e++) {
            out[e] = -1;
            for (int q = 0; q < b.numEdges() && out[e] < 0; q++) {
                double miss = 0;
                for (int k = 0; k < 3; k++) {
                    double turned =
                            r[k][0] * va[3 * e] + r[k][1] * va[3 * e + 1] + r[k][2] * va[3 * e + 2];
                    miss = Math.max(miss, Math.abs(turned - vb[3 * q + k]));
                }
                if (a.src()[e] == b.src()[q] && a.dst()[e] == b.dst()[q] && miss < 1e-4) {
                    out[e] = q;
                }
            }
            assertTrue(out[e] >= 0, "bond " + e + " in the moved crystal");
        }
        for (int i = 0; i < a.numAtoms(); i++) {
            out[a.numEdges() + i] = b.numEdges() + i;
        }
        return out;
    }

    private static NDList float64(NDManager m, Structure s) {
        NDList in = new NDList();
        for (NDArray a : GraphBatch.of(m, List.of(GraphSample.of(s, CONFIG))).toNDList()) {
            in.add(a.getDataType() == DataType.FLOAT32 ? a.toType(DataType.FLOAT64, false) : a);
        }
        return in;
    }

    private static NDList frames(
            NDManager m, ParameterStore ps, CrystalframerBlock block, Structure s) {
        return block.firstFrames(ps, float64(m, s));
    }

    private static double predict(
            NDManager m, ParameterStore ps, CrystalframerBlock block, Structure s) {
        return block.forward(ps, float64(m, s), false).singletonOrThrow().getDouble(0, 0);
    }

    /** f_k . f_l = delta_kl and f_3 = f_1 x f_2 for every atom and head ([N, H, 3, 3] flat). */
    private static void assertOrthonormal(double[] f) {
        for (int base = 0; base < f.length; base += 9) {
            for (int k = 0; k < 3; k++) {
                for (int l = 0; l < 3; l++) {
                    double dot = 0;
                    for (int a = 0; a < 3; a++) {
                        dot += f[base + 3 * k + a] * f[base + 3 * l + a];
                    }
                    assertEquals(k == l ? 1 : 0, dot, 1e-9, "f_" + k + " . f_" + l);
                }
            }
            double det =
                    f[base] * (f[base + 4] * f[base + 8] - f[base + 5] * f[base + 7])
                            - f[base + 1] * (f[base + 3] * f[base + 8] - f[base + 5] * f[base + 6])
                            + f[base + 2] * (f[base + 3] * f[base + 7] - f[base + 4] * f[base + 6]);
            assertEquals(1, det, 1e-9, "right-handed");
        }
    }
}
