package org.fusionml.models.batch;

import org.fusionml.data.graph.CrystalGraph;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.KnnGraphConfig;
import org.fusionml.data.graph.LineGraph;
import org.fusionml.data.graph.RadiusGraphBuilder;
import org.fusionml.data.structure.Structure;
import org.fusionml.models.ArchitectureConfig;

/**
 * One structure's atom graph and line graph as plain arrays, ready to batch.
 *
 * @param atomicNumbers [N]
 * @param src [E] source atom of each bond
 * @param dst [E] destination atom
 * @param bondLengths [E], Angstrom
 * @param tripletIn [T] bond a -> b of each bond pair
 * @param tripletOut [T] bond b -> c
 * @param angleCosines [T]
 */
public record GraphSample(
        int[] atomicNumbers,
        int[] src,
        int[] dst,
        float[] bondLengths,
        int[] tripletIn,
        int[] tripletOut,
        float[] angleCosines) {

    public int numAtoms() {
        return atomicNumbers.length;
    }

    public int numEdges() {
        return src.length;
    }

    public int numTriplets() {
        return tripletIn.length;
    }

    /** Builds the ALIGNN graph of {@code s} with {@code builder}, line graph included. */
    public static GraphSample of(Structure s, KnnGraphBuilder builder) {
        return of(builder.build(s), true);
    }

    /** The graph for {@code config}: k-NN or radius graph, with the line graph when it reads it. */
    public static GraphSample of(Structure s, ArchitectureConfig config) {
        CrystalGraph g =
                config.knnGraph()
                        ? new KnnGraphBuilder(
                                        new KnnGraphConfig(
                                                config.cutoff(), config.maxNeighbors(), 1e-6))
                                .build(s)
                        : new RadiusGraphBuilder(config.cutoff()).build(s);
        return of(g, config.lineGraph());
    }

    private static GraphSample of(CrystalGraph g, boolean withLineGraph) {
        LineGraph lg =
                withLineGraph
                        ? g.lineGraph()
                        : new LineGraph(new int[0], new int[0], new double[0]);
        float[] lengths = new float[g.numEdges()];
        for (int e = 0; e < lengths.length; e++) {
            lengths[e] = (float) g.distances()[e];
        }
        float[] cos = new float[lg.numTriplets()];
        for (int t = 0; t < cos.length; t++) {
            cos[t] = (float) lg.cosines()[t];
        }
        return new GraphSample(
                g.atomicNumbers(), g.src(), g.dst(), lengths, lg.edgeIn(), lg.edgeOut(), cos);
    }
}
