package org.fusionml.models.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.graph.CrystalGraph;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.KnnGraphConfig;
import org.fusionml.data.graph.PeriodicPotentials;
import org.fusionml.data.graph.RadiusGraphBuilder;
import org.fusionml.data.graph.ShortestBasis;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.icomformer.IcomformerConfig;
import org.fusionml.models.matformer.MatformerConfig;
import org.fusionml.models.megnet.MegnetConfig;
import org.fusionml.models.potnet.PotnetConfig;
import org.junit.jupiter.api.Test;

class GraphBatchTest {
    private static final CrystalDataset DATA = DatasetLoader.embeddedDefault();

    /**
     * The lattice arrays: each crystal's shortest-basis lengths and cosines in its row, and each
     * bond's vector, length and cosines with the basis vectors at the bond's offset in the batch,
     * recomputed here from the graph's bond vectors.
     */
    @Test
    void latticeArraysFollowTheirCrystalsAndBonds() {
        MegnetConfig radius = MegnetConfig.defaults();
        List<Structure> structures = List.of(DATA.get(3).structure(), DATA.get(40).structure());
        List<GraphSample> samples =
                structures.stream().map(s -> GraphSample.of(s, radius)).toList();
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBatch b = GraphBatch.of(m, samples);
            int edges = samples.get(0).numEdges() + samples.get(1).numEdges();
            assertEquals(new Shape(edges, 3), b.edgeLatticeCosines().getShape());
            assertEquals(new Shape(2, 3), b.latticeLengths().getShape());
            float[] lengths = b.latticeLengths().toFloatArray();
            float[] cosines = b.latticeCosines().toFloatArray();
            float[] bondCosines = b.edgeLatticeCosines().toFloatArray();
            float[] bondVectors = b.bondVectors().toFloatArray();
            float[] bondLengths = b.bondLengths().toFloatArray();
            assertEquals(new Shape(edges, 3), b.bondVectors().getShape());
            int offset = 0;
            for (int g = 0; g < 2; g++) {
                Structure s = structures.get(g);
                ShortestBasis basis = ShortestBasis.of(s.lattice());
                for (int k = 0; k < 3; k++) {
                    assertEquals(basis.lengths()[k], lengths[3 * g + k], 1e-5);
                    assertEquals(basis.cosines()[k], cosines[3 * g + k], 1e-6);
                }
                CrystalGraph graph = new RadiusGraphBuilder(radius.cutoff()).build(s);
                assertEquals(graph.numEdges(), samples.get(g).numEdges());
                for (int e = 0; e < graph.numEdges(); e++) {
                    double[] r = {
                        graph.vectors()[3 * e],
                        graph.vectors()[3 * e + 1],
                        graph.vectors()[3 * e + 2]
                    };
                    double norm = Math.sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
                    for (int k = 0; k < 3; k++) {
                        assertEquals(r[k], bondVectors[3 * (offset + e) + k], 1e-5);
                    }
                    assertEquals(norm, bondLengths[offset + e], 1e-5);
                    for (int k = 0; k < 3; k++) {
                        double[] v = basis.vectors()[k];
                        double expected =
                                (r[0] * v[0] + r[1] * v[1] + r[2] * v[2])
                                        / (norm * basis.lengths()[k]);
                        assertEquals(expected, bondCosines[3 * (offset + e) + k], 1e-6);
                    }
                }
                offset += graph.numEdges();
            }
        }
    }

    /**
     * PotNet's samples: the k-NN bonds with zero sums, then one infinite edge j -> i per ordered
     * atom pair (i, j) of the cell, of bond length 0, carrying the pair's Coulomb, London and Pauli
     * lattice sums (the same for (i, j) and (j, i)); kept in the batch; the other architectures get
     * the bonds only, with zeros.
     */
    @Test
    void potnetSamplesCarryThePotentialSumsOfEachPair() {
        Structure s = DATA.get(12).structure();
        PotnetConfig potnet = PotnetConfig.defaults();
        GraphSample sample = GraphSample.of(s, potnet);
        CrystalGraph knn = new KnnGraphBuilder(new KnnGraphConfig(4.0, 16, 1e-6)).build(s);
        int n = s.size();
        int bonds = knn.numEdges();
        assertEquals(bonds + n * n, sample.numEdges());
        PeriodicPotentials sums = new PeriodicPotentials(s.lattice());
        for (int e = 0; e < sample.numEdges(); e++) {
            if (e < bonds) {
                assertEquals(knn.distances()[e], sample.bondLengths()[e], 1e-5);
                for (int k = 0; k < 3; k++) {
                    assertEquals(0f, sample.edgePotentials()[3 * e + k], "bond " + e);
                }
                continue;
            }
            int i = (e - bonds) / n;
            int j = (e - bonds) % n;
            assertEquals(i, sample.dst()[e]);
            assertEquals(j, sample.src()[e]);
            assertEquals(0f, sample.bondLengths()[e]);
            double[] ri = s.cartesian(i);
            double[] rj = s.cartesian(j);
            double[] expected =
                    sums.all(new double[] {rj[0] - ri[0], rj[1] - ri[1], rj[2] - ri[2]});
            for (int k = 0; k < 3; k++) {
                assertEquals(
                        expected[k],
                        sample.edgePotentials()[3 * e + k],
                        1e-6 * Math.abs(expected[k]),
                        "pair (" + i + ", " + j + "), potential " + k);
            }
            assertTrue(expected[1] > 0 && expected[2] > 0, "London and Pauli sums are positive");
        }
        try (NDManager m = NDManager.newBaseManager()) {
            GraphBatch b =
                    GraphBatch.of(
                            m, List.of(GraphSample.of(DATA.get(5).structure(), potnet), sample));
            float[] batched = b.edgePotentials().toFloatArray();
            float[] last =
                    Arrays.copyOfRange(
                            batched, batched.length - 3 * sample.numEdges(), batched.length);
            assertArrayEquals(sample.edgePotentials(), last);
        }
        GraphSample icomformer = GraphSample.of(s, IcomformerConfig.defaults());
        for (float v : icomformer.edgePotentials()) {
            assertEquals(0f, v);
        }
        for (float d : icomformer.bondLengths()) {
            assertTrue(d > 0, "no infinite edges outside PotNet");
        }
    }

    /**
     * Matformer's graph is the k-NN graph with 12 loops per atom, iComFormer's with 6 (the loops of
     * the k-NN graph's self-images aside, a loop is a bond from an atom to itself).
     */
    @Test
    void latticeTransformersAddTheirLoopsToTheKnnGraph() {
        Structure s = DATA.get(12).structure();
        MatformerConfig matformer = MatformerConfig.defaults();
        IcomformerConfig icomformer = IcomformerConfig.defaults();
        CrystalGraph knn12 = new KnnGraphBuilder(new KnnGraphConfig(8.0, 12, 1e-6)).build(s);
        CrystalGraph knn25 = new KnnGraphBuilder(new KnnGraphConfig(4.0, 25, 1e-6)).build(s);
        assertEquals(knn12.numEdges() + 12 * s.size(), GraphSample.of(s, matformer).numEdges());
        assertEquals(knn25.numEdges() + 6 * s.size(), GraphSample.of(s, icomformer).numEdges());
        GraphSample sample = GraphSample.of(s, icomformer);
        // the loops of atom 0 follow its k-NN bonds: +-v_1, +-v_2, +-v_3
        int first = 0;
        for (int e = 0; e < knn25.numEdges(); e++) {
            if (knn25.src()[e] == 0) {
                first++;
            }
        }
        double[] expected = ShortestBasis.of(s.lattice()).lengths();
        for (int l = 0; l < 6; l++) {
            assertEquals(0, sample.src()[first + l]);
            assertEquals(0, sample.dst()[first + l]);
            assertEquals(expected[l / 2], sample.bondLengths()[first + l], 1e-5);
            // a loop along v_k has cosine +-1 with v_k
            assertEquals(
                    l % 2 == 0 ? 1 : -1,
                    sample.edgeLatticeCosines()[3 * (first + l) + l / 2],
                    1e-6);
        }
        assertArrayEquals(
                new float[] {(float) expected[0], (float) expected[1], (float) expected[2]},
                sample.latticeLengths());
    }
}
