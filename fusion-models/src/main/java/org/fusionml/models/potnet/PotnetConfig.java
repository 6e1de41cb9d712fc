package org.fusionml.models.potnet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * PotNet (Lin et al., ICML 2023) hyper-parameters, {@code type: potnet}; defaults are those of the
 * paper's code ({@code PotNetConfig} and its JARVIS settings) where it has them: 3 layers of width
 * 256, 256 Gaussians for the inverse bond length over [-4, 4], 64 for the weighted potential sum, a
 * readout layer of 256; the graph is the framework's k-nearest-neighbour graph.
 *
 * @param convLayers message-passing layers, at least 1 (default 3)
 * @param features width of the atoms and the bonds (default 256)
 * @param edgeBins Gaussians of the expansion of -0.75 / d over [-4, 4], d the bond length in
 *     Angstrom (default 256)
 * @param potentialBins Gaussians of the expansion of the weighted potential sum over [-4, 4]
 *     (default 64)
 * @param fcFeatures width of the hidden readout layer (default 256)
 * @param cutoff initial cutoff of the k-nearest-neighbour graph, Angstrom (default 4; it grows for
 *     a structure in which an atom has fewer than k neighbours within it)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 16)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record PotnetConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("potential_bins") int potentialBins,
        @JsonProperty("fc_features") int fcFeatures,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public PotnetConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("potential_bins", potentialBins, 0, 2);
        ArchitectureConfig.atLeast("fc_features", fcFeatures, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static PotnetConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("potential_bins") Integer potentialBins,
            @JsonProperty("fc_features") Integer fcFeatures,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new PotnetConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 3, 1),
                ArchitectureConfig.atLeast("features", features, 256, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 256, 2),
                ArchitectureConfig.atLeast("potential_bins", potentialBins, 64, 2),
                ArchitectureConfig.atLeast("fc_features", fcFeatures, 256, 1),
                ArchitectureConfig.cutoff(cutoff, 4.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 16, 1),
                head,
                init);
    }

    /** PotNet's defaults with the evidential head. */
    public static PotnetConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public PotnetConfig withHead(String newHead) {
        return new PotnetConfig(
                convLayers,
                features,
                edgeBins,
                potentialBins,
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

    /**
     * PotNet reads infinite edges: one per ordered atom pair of the cell, with the pair's Coulomb,
     * London and Pauli lattice sums.
     */
    @Override
    public boolean edgePotentials() {
        return true;
    }

    @Override
    public PotnetBlock newBlock() {
        return new PotnetBlock(this);
    }

    @Override
    public String name() {
        return "potnet";
    }
}
