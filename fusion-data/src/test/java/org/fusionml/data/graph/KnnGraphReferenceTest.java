package org.fusionml.data.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.fusionml.data.SharedData;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Neighbour lists of all 636 jdft2d structures against pymatgen's (refs/jdft2d_neighbors).
 *
 * <p>jdft2d lattices carry 6 decimals, so in 15 atoms a neighbour lies at exactly d_12 + 1e-6 A,
 * the edge of the tie tolerance. In exact arithmetic it belongs to the shell (d <= d_12 + 1e-6);
 * pymatgen's float round-off decides each such case by chance, and in 4 of the 15 it keeps only one
 * of two mirror images (+n, -n) at the same distance. The builder takes the exact-arithmetic
 * answer. The test therefore demands identical counts and distances everywhere except for
 * neighbours within 1e-9 A of that edge, where it demands that the builder keeps at least the
 * reference's, and it pins the number of such atoms to 15.
 */
class KnnGraphReferenceTest {
    private static CrystalDataset data;

    @BeforeAll
    static void load() {
        data = DatasetLoader.embeddedDefault();
    }

    @Test
    void knnAndShellDistancesMatchPymatgenForAll636Structures() {
        JsonNode ref = SharedData.json(SharedData.require("refs/jdft2d_neighbors.json.gz"));
        JsonNode structures = ref.get("structures");
        assertEquals(636, structures.size());
        assertEquals(636, data.size());
        KnnGraphBuilder builder = KnnGraphBuilder.alignn();
        int atoms = 0;
        int boundaryAtoms = 0;
        double worst = 0;
        for (int s = 0; s < structures.size(); s++) {
            JsonNode rs = structures.get(s);
            assertEquals(rs.get("name").asText(), data.get(s).id());
            var structure = data.get(s).structure();
            NeighborList nl = NeighborSearch.find(structure, 8.0);
            NeighborShells shells = builder.shells(structure);
            assertEquals(
                    rs.get("cutoff_used_for_shells").asDouble(),
                    shells.cutoffUsed(),
                    0.0,
                    rs.get("name").asText());
            JsonNode ra = rs.get("atoms");
            assertEquals(ra.size(), structure.size());
            for (int i = 0; i < ra.size(); i++) {
                String where = rs.get("name").asText() + " atom " + i;
                assertEquals(
                        ra.get(i).get("n_within_cutoff").asInt(), nl.count(i), where + " count");
                double[] knn = nl.sortedDistances(i);
                knn = Arrays.copyOf(knn, Math.min(12, knn.length));
                worst =
                        Math.max(
                                worst,
                                compare(ra.get(i).get("knn_distances"), knn, where + " knn"));
                double edge = ra.get(i).get("kth_distance").asDouble() + 1e-6;
                double[] refShell = values(ra.get(i).get("shell_distances"));
                double[] shell = shells.distances(i);
                int refAtEdge = countNear(refShell, edge);
                int atEdge = countNear(shell, edge);
                if (refAtEdge > 0 || atEdge > 0) {
                    boundaryAtoms++;
                    assertTrue(
                            atEdge >= refAtEdge,
                            where + ": keeps fewer neighbours at the tie edge");
                }
                worst =
                        Math.max(
                                worst,
                                compare(
                                        withoutNear(refShell, edge),
                                        withoutNear(shell, edge),
                                        where + " shell"));
                atoms++;
            }
        }
        assertEquals(4575, atoms);
        assertEquals(15, boundaryAtoms, "atoms with a neighbour at exactly d_12 + 1e-6");
        assertTrue(worst <= 1e-5, "worst difference " + worst);
    }

    /** Dataset totals published with ../shared/bench's independent ALIGNN graph builder. */
    @Test
    void edgeAndTripletTotalsMatchTheReferenceAlignnBuilder() {
        KnnGraphBuilder builder = KnnGraphBuilder.alignn();
        long edges = 0;
        long triplets = 0;
        for (var e : data.entries()) {
            CrystalGraph g = builder.build(e.structure());
            edges += g.numEdges();
            triplets += g.lineGraph().numTriplets();
        }
        assertEquals(59_822, edges);
        assertEquals(793_718, triplets);
    }

    private static double[] values(JsonNode array) {
        double[] v = new double[array.size()];
        for (int k = 0; k < v.length; k++) {
            v[k] = array.get(k).asDouble();
        }
        return v;
    }

    private static int countNear(double[] d, double edge) {
        return (int) Arrays.stream(d).filter(x -> Math.abs(x - edge) <= 1e-9).count();
    }

    private static double[] withoutNear(double[] d, double edge) {
        return Arrays.stream(d).filter(x -> Math.abs(x - edge) > 1e-9).toArray();
    }

    private static double compare(JsonNode expected, double[] actual, String where) {
        return compare(values(expected), actual, where);
    }

    private static double compare(double[] expected, double[] actual, String where) {
        assertEquals(expected.length, actual.length, where + " length");
        double worst = 0;
        for (int k = 0; k < actual.length; k++) {
            double d = Math.abs(expected[k] - actual[k]);
            assertTrue(d <= 1e-5, where + "[" + k + "]: " + expected[k] + " vs " + actual[k]);
            worst = Math.max(worst, d);
        }
        return worst;
    }
}
