package org.fusionml.models.matformer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.graph.LatticeLoops;
import org.fusionml.models.ArchitectureConfig;

/**
 * Matformer (Yan, Liu, Lin and Ji, NeurIPS 2022) hyper-parameters, {@code type: matformer};
 * defaults are those of the paper's code ({@code MatformerConfig} and its JARVIS training script):
 * 5 transformer layers of width 128 with 4 heads, 128 Gaussians over [0, cutoff], a readout layer
 * of 128, the 12-nearest-neighbour graph within 8 Angstrom plus the 12 lattice loops of every atom
 * ({@link LatticeLoops#CELL}).
 *
 * @param convLayers Matformer layers (default 5)
 * @param features width of the atoms, the bonds and each attention head (default 128)
 * @param heads attention heads per layer (default 4)
 * @param edgeBins Gaussians of the bond-length expansion over [0, cutoff] (default 128)
 * @param fcFeatures width of the hidden readout layer (default 128)
 * @param cutoff graph cutoff and upper end of the bond expansion, Angstrom (default 8)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 12)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record MatformerConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("heads") int heads,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("fc_features") int fcFeatures,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public MatformerConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("fc_features", fcFeatures, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static MatformerConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("fc_features") Integer fcFeatures,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new MatformerConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 5, 1),
                ArchitectureConfig.atLeast("features", features, 128, 1),
                ArchitectureConfig.atLeast("heads", heads, 4, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 128, 2),
                ArchitectureConfig.atLeast("fc_features", fcFeatures, 128, 1),
                ArchitectureConfig.cutoff(cutoff, 8.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 12, 1),
                head,
                init);
    }

    /** Matformer's defaults with the evidential head. */
    public static MatformerConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public MatformerConfig withHead(String newHead) {
        return new MatformerConfig(
                convLayers,
                features,
                heads,
                edgeBins,
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

    /** Matformer's self-connecting edges: a, b, c, a + b, a + c, b + c of the cell, both ways. */
    @Override
    public LatticeLoops latticeLoops() {
        return LatticeLoops.CELL;
    }

    @Override
    public MatformerBlock newBlock() {
        return new MatformerBlock(this);
    }

    @Override
    public String name() {
        return "matformer";
    }
}
