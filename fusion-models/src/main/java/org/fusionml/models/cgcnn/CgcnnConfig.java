package org.fusionml.models.cgcnn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * CGCNN (Xie and Grossman, Phys. Rev. Lett. 2018) hyper-parameters, {@code type: cgcnn}; defaults
 * are CGCNN's: 3 convolutions, atom features 64, hidden 128, Gaussian distance expansion with 0.2
 * Angstrom steps up to the 8 Angstrom cutoff (41 centres), 12 nearest neighbours.
 *
 * @param convLayers graph convolutions (default 3)
 * @param features atom feature width (default 64)
 * @param hidden width of the layer after pooling (default 128)
 * @param gaussians distance expansion size (default 41)
 * @param cutoff graph cutoff and expansion range, Angstrom (default 8)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 12)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record CgcnnConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("hidden") int hidden,
        @JsonProperty("gaussians") int gaussians,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public CgcnnConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("hidden", hidden, 0, 1);
        ArchitectureConfig.atLeast("gaussians", gaussians, 0, 2);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static CgcnnConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("hidden") Integer hidden,
            @JsonProperty("gaussians") Integer gaussians,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new CgcnnConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 3, 1),
                ArchitectureConfig.atLeast("features", features, 64, 1),
                ArchitectureConfig.atLeast("hidden", hidden, 128, 1),
                ArchitectureConfig.atLeast("gaussians", gaussians, 41, 2),
                ArchitectureConfig.cutoff(cutoff, 8.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 12, 1),
                head,
                init);
    }

    /** CGCNN's defaults with the evidential head. */
    public static CgcnnConfig defaults() {
        return of(null, null, null, null, null, null, null, null);
    }

    @Override
    public CgcnnConfig withHead(String newHead) {
        return new CgcnnConfig(
                convLayers, features, hidden, gaussians, cutoff, maxNeighbors, newHead, init);
    }

    @Override
    public boolean knnGraph() {
        return true;
    }

    @Override
    public boolean lineGraph() {
        return false;
    }

    @Override
    public CgcnnBlock newBlock() {
        return new CgcnnBlock(this);
    }

    @Override
    public String name() {
        return "cgcnn";
    }
}
