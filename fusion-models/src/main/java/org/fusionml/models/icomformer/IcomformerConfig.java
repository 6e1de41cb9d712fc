package org.fusionml.models.icomformer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.graph.LatticeLoops;
import org.fusionml.models.ArchitectureConfig;

/**
 * iComFormer (Yan, Fu, Qian and Ji, ICLR 2024) hyper-parameters, {@code type: icomformer}; defaults
 * are those of the paper's code ({@code iComformerConfig} and its JARVIS training script): 4
 * node-wise transformer layers with the edge-wise layer after the first, width 256, 1 head, 256
 * Gaussians for the inverse bond and lattice lengths and for the cosines, a readout layer of 256,
 * the 25-nearest-neighbour graph within 4 Angstrom plus the 6 loops of every atom along its
 * crystal's shortest lattice basis ({@link LatticeLoops#SHORTEST_BASIS}).
 *
 * @param convLayers node-wise transformer layers, at least 2 (default 4); the edge-wise layer
 *     follows the first
 * @param features width of the atoms, the bonds, the lattice embeddings and each head (default 256)
 * @param heads attention heads per layer (default 1)
 * @param edgeBins Gaussians of the expansion of -0.75 / d over [-4, 0], for bond and lattice
 *     lengths d in Angstrom (default 256)
 * @param angleBins Gaussians of the expansion of the cosines between bonds and lattice vectors over
 *     [-1, 1] (default 256)
 * @param fcFeatures width of the hidden readout layer (default 256)
 * @param cutoff initial cutoff of the k-nearest-neighbour graph, Angstrom (default 4; it grows for
 *     a structure in which an atom has fewer than k neighbours within it)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 25)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record IcomformerConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("heads") int heads,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("angle_bins") int angleBins,
        @JsonProperty("fc_features") int fcFeatures,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public IcomformerConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 2);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("angle_bins", angleBins, 0, 2);
        ArchitectureConfig.atLeast("fc_features", fcFeatures, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static IcomformerConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("angle_bins") Integer angleBins,
            @JsonProperty("fc_features") Integer fcFeatures,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new IcomformerConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 4, 2),
                ArchitectureConfig.atLeast("features", features, 256, 1),
                ArchitectureConfig.atLeast("heads", heads, 1, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 256, 2),
                ArchitectureConfig.atLeast("angle_bins", angleBins, 256, 2),
                ArchitectureConfig.atLeast("fc_features", fcFeatures, 256, 1),
                ArchitectureConfig.cutoff(cutoff, 4.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 25, 1),
                head,
                init);
    }

    /** iComFormer's defaults with the evidential head. */
    public static IcomformerConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public IcomformerConfig withHead(String newHead) {
        return new IcomformerConfig(
                convLayers,
                features,
                heads,
                edgeBins,
                angleBins,
                fcFeatures,
                cutoff,
                maxNeighbors,
                newHead,
                init);
    }

    @Override
    public boolean knnGraph() {
        return true;
    }

    @Override
    public boolean lineGraph() {
        return false;
    }

    /** ComFormer's self-connecting edges: +-v_1, +-v_2, +-v_3 of the shortest basis. */
    @Override
    public LatticeLoops latticeLoops() {
        return LatticeLoops.SHORTEST_BASIS;
    }

    @Override
    public IcomformerBlock newBlock() {
        return new IcomformerBlock(this);
    }

    @Override
    public String name() {
        return "icomformer";
    }
}
