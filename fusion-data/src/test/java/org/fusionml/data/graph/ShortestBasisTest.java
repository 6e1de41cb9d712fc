package org.fusionml.data.graph;

import static org.fusionml.data.graph.GraphTestSupport.randomTriclinic;
import static org.fusionml.data.graph.GraphTestSupport.rotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

class ShortestBasisTest {
    private static double det(double[][] v) {
        return v[0][0] * (v[1][1] * v[2][2] - v[1][2] * v[2][1])
                - v[0][1] * (v[1][0] * v[2][2] - v[1][2] * v[2][0])
                + v[0][2] * (v[1][0] * v[2][1] - v[1][1] * v[2][0]);
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /**
     * Successive minima by brute force: all translations with coefficients within +-range, sorted
     * by length, greedily kept when independent of those kept (rank by determinant / cross).
     */
    private static double[] bruteForceMinima(Lattice lattice, int range) {
        List<double[]> all = new ArrayList<>();
        for (int a = -range; a <= range; a++) {
            for (int b = -range; b <= range; b++) {
                for (int c = -range; c <= range; c++) {
                    if (a != 0 || b != 0 || c != 0) {
                        all.add(lattice.toCartesian(new double[] {a, b, c}));
                    }
                }
            }
        }
        all.sort((x, y) -> Double.compare(dot(x, x), dot(y, y)));
        double[] v1 = all.get(0);
        double[] v2 = null;
        for (double[] v : all) {
            double[] c = cross(v1, v);
            if (v2 == null && dot(c, c) > 1e-12 * dot(v, v) * dot(v1, v1)) {
                v2 = v;
            } else if (v2 != null
                    && Math.abs(det(new double[][] {v1, v2, v})) > 1e-9 * lattice.volume()) {
                return new double[] {
                    Math.sqrt(dot(v1, v1)), Math.sqrt(dot(v2, v2)), Math.sqrt(dot(v, v))
                };
            }
        }
        throw new AssertionError("no third vector");
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {
            a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]
        };
    }

    /**
     * Orientation: the angles of v2 and v3 with v1 are not obtuse, and the basis is right-handed.
     */
    private static void assertOriented(ShortestBasis b) {
        double[][] v = b.vectors();
        assertTrue(dot(v[0], v[1]) >= -1e-9 * dot(v[0], v[0]), "v1 . v2 >= 0");
        assertTrue(dot(v[0], v[2]) >= -1e-9 * dot(v[0], v[0]), "v1 . v3 >= 0");
        assertTrue(det(v) > 0, "right-handed");
    }

    @Test
    void cubicCellIsItsOwnShortestBasisWhateverBasisTheFileUses() {
        ShortestBasis plain = ShortestBasis.of(Lattice.cubic(3));
        assertArrayEquals(new double[] {3, 3, 3}, plain.lengths(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, plain.cosines(), 1e-12);
        assertOriented(plain);
        // the same lattice through a skewed basis a, a + b, a + b + c
        Lattice skewed = Lattice.of(new double[][] {{3, 0, 0}, {3, 3, 0}, {3, 3, 3}});
        ShortestBasis b = ShortestBasis.of(skewed);
        assertArrayEquals(new double[] {3, 3, 3}, b.lengths(), 1e-12);
        assertArrayEquals(new double[] {0, 0, 0}, b.cosines(), 1e-12);
        assertOriented(b);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(
                    b.vectors()[k], skewed.toCartesian(toDouble(b.images()[k])), 1e-12, "v = n M");
        }
        // ties broken by image, larger first: v1 = (1, 0, 0) of the plain cell
        assertArrayEquals(new int[] {1, 0, 0}, plain.images()[0]);
    }

    @Test
    void hexagonalBasisHasTheAcuteAngle() {
        // a = b = 3.2 at 120 degrees: the shortest vectors are a, b and a + b, all of length 3.2
        ShortestBasis b = ShortestBasis.of(Lattice.fromParameters(3.2, 3.2, 20, 90, 90, 120));
        assertArrayEquals(new double[] {3.2, 3.2, 20}, b.lengths(), 1e-9);
        assertArrayEquals(new double[] {0, 0, 0.5}, b.cosines(), 1e-9);
        assertOriented(b);
    }

    @Test
    void lengthsAreTheSuccessiveMinimaOfRandomTriclinicCells() {
        for (long seed = 1; seed <= 30; seed++) {
            Lattice lattice = randomTriclinic(seed, 1).lattice();
            ShortestBasis b = ShortestBasis.of(lattice);
            assertArrayEquals(
                    bruteForceMinima(lattice, 6), b.lengths(), 1e-9, "seed " + seed + " minima");
            assertOriented(b);
        }
    }

    @Test
    void invariantUnderRotationOnJdft2d() {
        CrystalDataset data = DatasetLoader.embeddedDefault();
        double[][] r = rotation(new double[] {0.3, -1, 0.7}, 1.1);
        for (int i = 0; i < data.size(); i += 7) {
            Structure s = data.get(i).structure();
            ShortestBasis b = ShortestBasis.of(s.lattice());
            ShortestBasis rb = ShortestBasis.of(s.lattice().rotate(r));
            assertArrayEquals(b.images(), rb.images(), "structure " + i);
            assertArrayEquals(b.lengths(), rb.lengths(), 1e-9);
            assertArrayEquals(b.cosines(), rb.cosines(), 1e-9);
            double[] bond = s.lattice().toCartesian(new double[] {0.31, -0.2, 0.05});
            double[] rotated = new double[3];
            for (int k = 0; k < 3; k++) {
                rotated[k] = dot(r[k], bond);
            }
            assertArrayEquals(b.cosinesWith(bond), rb.cosinesWith(rotated), 1e-9);
            assertOriented(b);
        }
    }

    @Test
    void supercellIsAnotherLattice() {
        Lattice cell = Lattice.fromParameters(3.2, 3.2, 20, 90, 90, 120);
        Lattice big = cell.transform(new int[][] {{2, 0, 0}, {0, 2, 0}, {0, 0, 1}});
        assertArrayEquals(new double[] {6.4, 6.4, 20}, ShortestBasis.of(big).lengths(), 1e-9);
    }

    @Test
    void needleCellsAreRefusedBeyondTheSearchBound() {
        Lattice needle = Lattice.of(new double[][] {{0.5, 0, 0}, {0, 0.5, 0}, {0, 0, 2000}});
        assertThrows(IllegalArgumentException.class, () -> ShortestBasis.of(needle));
    }

    @Test
    void loopsAreSymmetricAndFollowEachAtomsEdges() {
        Structure s =
                new Structure(
                        Lattice.fromParameters(3, 4, 5, 90, 90, 90),
                        List.of(
                                new Site(Element.of("Na"), new double[] {0, 0, 0}),
                                new Site(Element.of("Cl"), new double[] {0.5, 0.5, 0.5})));
        CrystalGraph g = KnnGraphBuilder.alignn().build(s);
        int[][] cell = LatticeLoops.CELL.images(ShortestBasis.of(s.lattice()));
        CrystalGraph looped = g.withLoops(s, cell);
        assertEquals(g.numEdges() + 2 * 12, looped.numEdges());
        for (int i = 0; i < 2; i++) {
            int from = looped.outOffsets()[i];
            int edges = g.outOffsets()[i + 1] - g.outOffsets()[i];
            for (int q = 0; q < edges; q++) {
                assertEquals(
                        g.distances()[g.outOffsets()[i] + q], looped.distances()[from + q], 0.0);
            }
            double[] loopLengths = new double[12];
            for (int l = 0; l < 12; l++) {
                int e = from + edges + l;
                assertEquals(i, looped.src()[e]);
                assertEquals(i, looped.dst()[e]);
                loopLengths[l] = looped.distances()[e];
            }
            // a, -a, b, -b, c, -c, a + b, ..., of a 3 x 4 x 5 box
            assertArrayEquals(
                    new double[] {
                        3,
                        3,
                        4,
                        4,
                        5,
                        5,
                        5,
                        5,
                        Math.sqrt(34),
                        Math.sqrt(34),
                        Math.sqrt(41),
                        Math.sqrt(41)
                    },
                    loopLengths,
                    1e-12);
        }
        int[][] shortest = LatticeLoops.SHORTEST_BASIS.images(ShortestBasis.of(s.lattice()));
        assertEquals(g.numEdges() + 2 * 6, g.withLoops(s, shortest).numEdges());
        assertEquals(0, LatticeLoops.NONE.images(ShortestBasis.of(s.lattice())).length);
    }

    private static double[] toDouble(int[] n) {
        return new double[] {n[0], n[1], n[2]};
    }
}
