package org.fusionml.models.ecomformer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.graph.LatticeLoops;
import org.fusionml.models.ArchitectureConfig;

/**
 * eComFormer (Yan, Fu, Qian and Ji, ICLR 2024) hyper-parameters, {@code type: ecomformer}; defaults
 * are those of the paper's code ({@code eComformerConfig}, {@code ComformerConvEqui} and its JARVIS
 * training script): 3 node-wise transformer layers with the equivariant update after the first,
 * width 256, 1 head, 256 Gaussians for the inverse bond lengths, 64 scalar and 8 vector and 8
 * rank-2 channels in the equivariant update, a readout layer of 256, the 25-nearest-neighbour graph
 * within 4 Angstrom plus the 6 loops of every atom along its crystal's shortest lattice basis
 * ({@link LatticeLoops#SHORTEST_BASIS}).
 *
 * @param convLayers node-wise transformer layers, at least 1 (default 3); the equivariant update
 *     follows the first
 * @param features width of the atoms, the bonds and each head (default 256)
 * @param heads attention heads per layer (default 1)
 * @param edgeBins Gaussians of the expansion of -0.75 / d over [-4, 0], for bond lengths d in
 *     Angstrom (default 256)
 * @param scalars channels of degree 0 in the equivariant update (default 64)
 * @param vectors channels of degree 1 and, as many, of degree 2 in the equivariant update (default
 *     8)
 * @param fcFeatures width of the hidden readout layer (default 256)
 * @param cutoff initial cutoff of the k-nearest-neighbour graph, Angstrom (default 4; it grows for
 *     a structure in which an atom has fewer than k neighbours within it)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 25)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record EcomformerConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("heads") int heads,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("scalars") int scalars,
        @JsonProperty("vectors") int vectors,
        @JsonProperty("fc_features") int fcFeatures,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public EcomformerConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("scalars", scalars, 0, 1);
        ArchitectureConfig.atLeast("vectors", vectors, 0, 1);
        ArchitectureConfig.atLeast("fc_features", fcFeatures, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static EcomformerConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("scalars") Integer scalars,
            @JsonProperty("vectors") Integer vectors,
            @JsonProperty("fc_features") Integer fcFeatures,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new EcomformerConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 3, 1),
                ArchitectureConfig.atLeast("features", features, 256, 1),
                ArchitectureConfig.atLeast("heads", heads, 1, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 256, 2),
                ArchitectureConfig.atLeast("scalars", scalars, 64, 1),
                ArchitectureConfig.atLeast("vectors", vectors, 8, 1),
                ArchitectureConfig.atLeast("fc_features", fcFeatures, 256, 1),
                ArchitectureConfig.cutoff(cutoff, 4.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 25, 1),
                head,
                init);
    }

    /** eComFormer's defaults with the evidential head. */
    public static EcomformerConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public EcomformerConfig withHead(String newHead) {
        return new EcomformerConfig(
                convLayers,
                features,
                heads,
                edgeBins,
                scalars,
                vectors,
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
    public EcomformerBlock newBlock() {
        return new EcomformerBlock(this);
    }

    @Override
    public String name() {
        return "ecomformer";
    }
}
