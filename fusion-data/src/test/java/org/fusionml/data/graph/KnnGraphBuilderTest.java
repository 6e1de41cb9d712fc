package org.fusionml.data.graph;

import static org.fusionml.data.graph.GraphTestSupport.bruteForceDistances;
import static org.fusionml.data.graph.GraphTestSupport.randomTriclinic;
import static org.fusionml.data.graph.GraphTestSupport.rotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

class KnnGraphBuilderTest {
    private static final KnnGraphBuilder ALIGNN = KnnGraphBuilder.alignn();

    @Test
    void cellListSearchEqualsBruteForceOnTriclinicCells() {
        for (long seed = 1; seed <= 5; seed++) {
            Structure s = randomTriclinic(seed, 7);
            NeighborList nl = NeighborSearch.find(s, 6.0);
            for (int i = 0; i < s.size(); i++) {
                double[] expected = bruteForceDistances(s, i, 6.0, 5);
                assertArrayEquals(
                        expected, nl.sortedDistances(i), 1e-9, "seed " + seed + " atom " + i);
            }
        }
    }

    /** Coordinates outside [0, 1) (shifted cells): images must still point at the right atoms. */
    @Test
    void edgesOfShiftedCoordinatesAreTheShells() {
        Structure s = randomTriclinic(13, 5); // fractional coordinates in [-0.5, 1.5)
        NeighborShells shells = ALIGNN.shells(s);
        CrystalGraph g = ALIGNN.build(s);
        for (int i = 0; i < s.size(); i++) {
            List<Double> pool = new ArrayList<>();
            for (int e = g.outOffsets()[i]; e < g.outOffsets()[i + 1]; e++) {
                pool.add(g.distances()[e]);
            }
            for (double d : shells.distances(i)) {
                Optional<Double> hit =
                        pool.stream().filter(x -> Math.abs(x - d) < 1e-9).findFirst();
                assertTrue(hit.isPresent(), "atom " + i + ": shell distance " + d + " has no edge");
                pool.remove(hit.get());
            }
        }
        for (double d : g.distances()) {
            assertTrue(d <= shells.cutoffUsed() + 1e-9, "edge of " + d + " A beyond the cutoff");
        }
        NeighborList nl = NeighborSearch.find(s, 6.0);
        for (int i = 0; i < s.size(); i++) {
            double[] ri = s.cartesian(i);
            for (int e = nl.offsets()[i]; e < nl.offsets()[i + 1]; e++) {
                double[] rj = s.cartesian(nl.neighbors()[e]);
                double sq = 0;
                for (int k = 0; k < 3; k++) {
                    double v = rj[k] - ri[k];
                    for (int a = 0; a < 3; a++) {
                        v += nl.images()[3 * e + a] * s.lattice().get(a, k);
                    }
                    sq += v * v;
                }
                assertEquals(
                        nl.distances()[e],
                        Math.sqrt(sq),
                        1e-9,
                        "image of neighbour-list entry " + e);
            }
        }
    }

    @Test
    void bondVectorsAndImagesAreConsistent() {
        Structure s = randomTriclinic(11, 6);
        CrystalGraph g = ALIGNN.build(s);
        for (int e = 0; e < g.numEdges(); e++) {
            double[] ri = s.cartesian(g.src()[e]);
            double[] rj = s.cartesian(g.dst()[e]);
            double sq = 0;
            for (int k = 0; k < 3; k++) {
                double v = rj[k] - ri[k];
                for (int a = 0; a < 3; a++) {
                    v += g.images()[3 * e + a] * s.lattice().get(a, k);
                }
                assertEquals(v, g.vectors()[3 * e + k], 1e-12);
                sq += v * v;
            }
            assertEquals(Math.sqrt(sq), g.distances()[e], 1e-12);
        }
    }

    @Test
    void graphIsSymmetricAndDuplicateFree() {
        Structure s = randomTriclinic(3, 5);
        CrystalGraph g = ALIGNN.build(s);
        Set<List<Integer>> edges = new HashSet<>();
        for (int e = 0; e < g.numEdges(); e++) {
            assertTrue(edges.add(key(g, e, 1)), "duplicate edge " + e);
        }
        for (int e = 0; e < g.numEdges(); e++) {
            List<Integer> reverse =
                    List.of(
                            g.dst()[e],
                            g.src()[e],
                            -g.images()[3 * e],
                            -g.images()[3 * e + 1],
                            -g.images()[3 * e + 2]);
            assertTrue(edges.contains(reverse), "edge " + e + " has no reverse");
        }
    }

    @Test
    void shellsAreTheTwelveNearestPlusTies() {
        Structure s = randomTriclinic(5, 6);
        NeighborShells shells = ALIGNN.shells(s);
        for (int i = 0; i < s.size(); i++) {
            double[] all = bruteForceDistances(s, i, 8.0, 6);
            double d12 = all[11];
            int expected = 0;
            for (double d : all) {
                if (d <= d12 + 1e-6) {
                    expected++;
                }
            }
            double[] mine = shells.distances(i);
            assertEquals(expected, mine.length, "atom " + i);
            for (int k = 0; k < mine.length; k++) {
                assertEquals(all[k], mine[k], 1e-9);
            }
        }
    }

    @Test
    void oneAtomSimpleCubicCellHasEighteenNeighboursInTwoShells() {
        double a = 3.35;
        Structure po =
                new Structure(
                        Lattice.cubic(a),
                        List.of(new Site(Element.of("Po"), new double[] {0, 0, 0})));
        NeighborShells shells = ALIGNN.shells(po);
        double[] d = shells.distances(0);
        assertEquals(18, d.length, "6 at a, then the whole shell of 12 at a*sqrt(2)");
        for (int k = 0; k < 6; k++) {
            assertEquals(a, d[k], 1e-12);
        }
        for (int k = 6; k < 18; k++) {
            assertEquals(a * Math.sqrt(2), d[k], 1e-12);
        }
        CrystalGraph g = ALIGNN.build(po);
        assertEquals(18, g.numEdges(), "self-image edges come in +n/-n pairs already");
        assertEquals(18 * 18, g.lineGraph().numTriplets());
    }

    @Test
    void moleculeInNineAngstromBoxGrowsTheCutoff() {
        // CH4 in a 9 A box: C has 4 neighbours within 8 A, so the cutoff grows to max(a, b, c) = 9.
        double b = 1.09 / Math.sqrt(3) / 9.0;
        List<Site> sites =
                List.of(
                        new Site(Element.of("C"), new double[] {0.5, 0.5, 0.5}),
                        new Site(Element.of("H"), new double[] {0.5 + b, 0.5 + b, 0.5 + b}),
                        new Site(Element.of("H"), new double[] {0.5 - b, 0.5 - b, 0.5 + b}),
                        new Site(Element.of("H"), new double[] {0.5 - b, 0.5 + b, 0.5 - b}),
                        new Site(Element.of("H"), new double[] {0.5 + b, 0.5 - b, 0.5 - b}));
        Structure ch4 = new Structure(Lattice.cubic(9.0), sites);
        assertTrue(NeighborSearch.find(ch4, 8.0).minCount() < 12);
        NeighborShells shells = ALIGNN.shells(ch4);
        assertEquals(9.0, shells.cutoffUsed(), 0.0);
        for (int i = 0; i < ch4.size(); i++) {
            double[] all = bruteForceDistances(ch4, i, 9.0, 2);
            assertTrue(all.length >= 12);
            double[] mine = shells.distances(i);
            assertEquals(all[11], mine[11], 1e-12);
            assertTrue(mine[mine.length - 1] <= all[11] + 1e-6);
        }
        assertEquals(1.09, shells.distances(0)[0], 1e-9);
    }

    @Test
    void cutoffDoublesWhenTheCellIsShorterThanTheCutoff() {
        // A 1-atom cubic cell of edge 5 A from a 2 A cutoff: 2 < 5 grows to 5 (6 neighbours, too
        // few); 5 is not shorter than max(a, b, c), so it doubles to 10 (18 + more neighbours).
        Structure s =
                new Structure(
                        Lattice.cubic(5.0),
                        List.of(new Site(Element.of("Cu"), new double[] {0, 0, 0})));
        KnnGraphBuilder b = new KnnGraphBuilder(new KnnGraphConfig(2.0, 12, 1e-6));
        assertEquals(10.0, b.shells(s).cutoffUsed(), 0.0);
    }

    @Test
    void perAtomShellsAreInvariantUnderRotationTranslationPermutationAndSupercell() {
        var data = DatasetLoader.embeddedDefault();
        for (int idx : new int[] {0, 57, 311}) {
            Structure s = data.get(idx).structure();
            NeighborShells ref = ALIGNN.shells(s);

            Structure moved =
                    s.transformed(
                            rotation(new double[] {1, 2, 3}, 0.7), new double[] {1.3, -2.1, 0.4});
            assertSameShells(ref, ALIGNN.shells(moved), identity(s.size()), 1e-9);

            int[] order = new int[s.size()];
            for (int k = 0; k < order.length; k++) {
                order[k] = order.length - 1 - k;
            }
            assertSameShells(ref, ALIGNN.shells(s.permuted(order)), order, 1e-12);

            Structure big = s.supercell(2, 1, 1);
            int[] map = new int[big.size()];
            for (int k = 0; k < map.length; k++) {
                map[k] = k % s.size();
            }
            assertSameShells(ref, ALIGNN.shells(big), map, 1e-9);
        }
    }

    @Test
    void lineGraphCosinesAreBondAngles() {
        Structure s = randomTriclinic(8, 4);
        CrystalGraph g = ALIGNN.build(s);
        LineGraph lg = g.lineGraph();
        long expected = 0;
        for (int e = 0; e < g.numEdges(); e++) {
            expected += g.outOffsets()[g.dst()[e] + 1] - g.outOffsets()[g.dst()[e]];
        }
        assertEquals(expected, lg.numTriplets());
        for (int t = 0; t < lg.numTriplets(); t++) {
            int ab = lg.edgeIn()[t];
            int bc = lg.edgeOut()[t];
            assertEquals(g.dst()[ab], g.src()[bc]);
            double[] u = {
                -g.vectors()[3 * ab], -g.vectors()[3 * ab + 1], -g.vectors()[3 * ab + 2]
            }; // b -> a
            double[] v = {
                g.vectors()[3 * bc], g.vectors()[3 * bc + 1], g.vectors()[3 * bc + 2]
            }; // b -> c
            double cos = (u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (norm(u) * norm(v));
            assertEquals(Math.max(-1, Math.min(1, cos)), lg.cosines()[t], 1e-12);
        }
    }

    @Test
    void radiusGraphHoldsEveryPairWithinTheCutoff() {
        Structure s = randomTriclinic(21, 5);
        CrystalGraph g = new RadiusGraphBuilder(5.0).build(s);
        for (int i = 0; i < s.size(); i++) {
            double[] expected = bruteForceDistances(s, i, 5.0, 4);
            double[] mine =
                    Arrays.copyOfRange(g.distances(), g.outOffsets()[i], g.outOffsets()[i + 1]);
            assertArrayEquals(expected, GraphTestSupport.sorted(mine), 1e-9);
        }
    }

    private static double norm(double[] v) {
        return Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int k = 0; k < n; k++) {
            a[k] = k;
        }
        return a;
    }

    /** Atom k of {@code other} is atom map[k] of the reference. */
    private static void assertSameShells(
            NeighborShells ref, NeighborShells other, int[] map, double tol) {
        assertEquals(map.length, other.numAtoms());
        for (int k = 0; k < map.length; k++) {
            assertArrayEquals(ref.distances(map[k]), other.distances(k), tol, "atom " + k);
        }
    }

    private static List<Integer> key(CrystalGraph g, int e, int sign) {
        return List.of(
                g.src()[e],
                g.dst()[e],
                sign * g.images()[3 * e],
                sign * g.images()[3 * e + 1],
                sign * g.images()[3 * e + 2]);
    }
}
