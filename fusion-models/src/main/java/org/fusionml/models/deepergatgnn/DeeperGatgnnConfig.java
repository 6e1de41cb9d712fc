package org.fusionml.models.deepergatgnn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * DeeperGATGNN (Omee et al., Patterns 3, 100491, 2022) hyper-parameters, {@code type:
 * deepergatgnn}; defaults are those of the paper's code ({@code DEEP_GATGNN_demo}): 20 AGAT
 * convolutions of width 64 with 4 heads, each followed by differentiable group normalisation (10
 * groups, lambda 0.01) and a skip connection; 12 nearest neighbours within 8 Angstrom; 50 Gaussians
 * over [0, cutoff] of width 0.2 times the cutoff (the paper's code expands distances scaled to [0,
 * 1] with width 0.2).
 *
 * @param convLayers AGAT convolutions, each with its normalisation and skip connection (default 20)
 * @param features atom and bond feature width (default 64)
 * @param heads attention heads per convolution (default 4)
 * @param groups groups of the differentiable group normalisation (default 10)
 * @param dgnLambda weight lambda of the normalised groups added to the features (default 0.01)
 * @param gaussians bond-length expansion size (default 50)
 * @param gaussianWidth width sigma of each Gaussian exp(-(d - mu)^2 / (2 sigma^2)), Angstrom
 *     (default 1.6, 0.2 of the 8 Angstrom cutoff)
 * @param cutoff graph cutoff and expansion range, Angstrom (default 8)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 12)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record DeeperGatgnnConfig(
        @JsonProperty("conv_layers") int convLayers,
        @JsonProperty("features") int features,
        @JsonProperty("heads") int heads,
        @JsonProperty("groups") int groups,
        @JsonProperty("dgn_lambda") double dgnLambda,
        @JsonProperty("gaussians") int gaussians,
        @JsonProperty("gaussian_width") double gaussianWidth,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public DeeperGatgnnConfig {
        ArchitectureConfig.atLeast("conv_layers", convLayers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        ArchitectureConfig.atLeast("groups", groups, 0, 1);
        if (!(dgnLambda >= 0) || !Double.isFinite(dgnLambda)) {
            throw new IllegalArgumentException("model.dgn_lambda (" + dgnLambda + ") must be >= 0");
        }
        ArchitectureConfig.atLeast("gaussians", gaussians, 0, 2);
        ArchitectureConfig.positive("gaussian_width", gaussianWidth, 0);
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static DeeperGatgnnConfig of(
            @JsonProperty("conv_layers") Integer convLayers,
            @JsonProperty("features") Integer features,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("groups") Integer groups,
            @JsonProperty("dgn_lambda") Double dgnLambda,
            @JsonProperty("gaussians") Integer gaussians,
            @JsonProperty("gaussian_width") Double gaussianWidth,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new DeeperGatgnnConfig(
                ArchitectureConfig.atLeast("conv_layers", convLayers, 20, 1),
                ArchitectureConfig.atLeast("features", features, 64, 1),
                ArchitectureConfig.atLeast("heads", heads, 4, 1),
                ArchitectureConfig.atLeast("groups", groups, 10, 1),
                dgnLambda == null ? 0.01 : dgnLambda,
                ArchitectureConfig.atLeast("gaussians", gaussians, 50, 2),
                ArchitectureConfig.positive("gaussian_width", gaussianWidth, 1.6),
                ArchitectureConfig.cutoff(cutoff, 8.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 12, 1),
                head,
                init);
    }

    /** DeeperGATGNN's defaults with the evidential head. */
    public static DeeperGatgnnConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public DeeperGatgnnConfig withHead(String newHead) {
        return new DeeperGatgnnConfig(
                convLayers,
                features,
                heads,
                groups,
                dgnLambda,
                gaussians,
                gaussianWidth,
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

    @Override
    public DeeperGatgnnBlock newBlock() {
        return new DeeperGatgnnBlock(this);
    }

    @Override
    public String name() {
        return "deepergatgnn";
    }
}
