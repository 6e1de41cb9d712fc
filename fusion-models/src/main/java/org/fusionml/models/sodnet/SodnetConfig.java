package org.fusionml.models.sodnet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * SODNet (Chen et al., NeurIPS 2024) hyper-parameters, {@code type: sodnet}; defaults are those of
 * the paper's code and training script ({@code graph_attention_transformer_nonlinear_l2_e3_noNorm},
 * {@code scripts/SuperCon/train_*.sh}): 6 transformer blocks on features 128x0e + 64x1e + 32x2e, 8
 * heads (16x0e + 8x1e + 4x2e each), a feed-forward network 3 times as wide (384x0e + 192x1e +
 * 96x2e), 128 Gaussians of the bond length and radial networks of width 64, 512 scalars out of the
 * last block, the 32 nearest neighbours within 8 Angstrom.
 *
 * @param layers transformer blocks, at least 1 (default 6); the last maps to {@code features}
 *     scalars
 * @param maxDegree highest degree L of the atoms' features and the bonds' harmonics, 1 or 2
 *     (default 2)
 * @param scalars channels of degree 0 (default 128)
 * @param vectors channels of degree 1 (default 64)
 * @param tensors channels of degree 2 (default 32; unused when max_degree is 1)
 * @param heads attention heads (default 8); every channel count must be a multiple of it
 * @param ffnFactor hidden channels of the feed-forward networks per channel (default 3)
 * @param edgeBins Gaussians of the bond length over [0, cutoff] (default 128)
 * @param radialFeatures width of the hidden layers of the radial networks (default 64)
 * @param features scalars out of the last block and width of the readout layer (default 512)
 * @param rezeroInit initial value of every block's residual factor rho (ReZero; default 0, as the
 *     paper's code: the blocks start as the identity)
 * @param cutoff initial cutoff of the k-nearest-neighbour graph, Angstrom (default 8; it grows for
 *     a structure in which an atom has fewer than k neighbours within it)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 32)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record SodnetConfig(
        @JsonProperty("layers") int layers,
        @JsonProperty("max_degree") int maxDegree,
        @JsonProperty("scalars") int scalars,
        @JsonProperty("vectors") int vectors,
        @JsonProperty("tensors") int tensors,
        @JsonProperty("heads") int heads,
        @JsonProperty("ffn_factor") int ffnFactor,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("radial_features") int radialFeatures,
        @JsonProperty("features") int features,
        @JsonProperty("rezero_init") double rezeroInit,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public SodnetConfig {
        ArchitectureConfig.atLeast("layers", layers, 0, 1);
        ArchitectureConfig.atLeast("max_degree", maxDegree, 0, 1);
        if (maxDegree > 2) {
            throw new IllegalArgumentException("model.max_degree (" + maxDegree + ") must be <= 2");
        }
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        multipleOfHeads("scalars", scalars, heads);
        multipleOfHeads("vectors", vectors, heads);
        if (maxDegree == 2) {
            multipleOfHeads("tensors", tensors, heads);
        }
        ArchitectureConfig.atLeast("ffn_factor", ffnFactor, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("radial_features", radialFeatures, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        if (!Double.isFinite(rezeroInit)) {
            throw new IllegalArgumentException(
                    "model.rezero_init (" + rezeroInit + ") must be finite");
        }
        ArchitectureConfig.cutoff(cutoff, 0);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    private static void multipleOfHeads(String key, int value, int heads) {
        if (value < heads || value % heads != 0) {
            throw new IllegalArgumentException(
                    "model."
                            + key
                            + " ("
                            + value
                            + ") must be a positive multiple of model.heads ("
                            + heads
                            + ")");
        }
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static SodnetConfig of(
            @JsonProperty("layers") Integer layers,
            @JsonProperty("max_degree") Integer maxDegree,
            @JsonProperty("scalars") Integer scalars,
            @JsonProperty("vectors") Integer vectors,
            @JsonProperty("tensors") Integer tensors,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("ffn_factor") Integer ffnFactor,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("radial_features") Integer radialFeatures,
            @JsonProperty("features") Integer features,
            @JsonProperty("rezero_init") Double rezeroInit,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new SodnetConfig(
                ArchitectureConfig.atLeast("layers", layers, 6, 1),
                ArchitectureConfig.atLeast("max_degree", maxDegree, 2, 1),
                ArchitectureConfig.atLeast("scalars", scalars, 128, 1),
                ArchitectureConfig.atLeast("vectors", vectors, 64, 1),
                ArchitectureConfig.atLeast("tensors", tensors, 32, 1),
                ArchitectureConfig.atLeast("heads", heads, 8, 1),
                ArchitectureConfig.atLeast("ffn_factor", ffnFactor, 3, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 128, 2),
                ArchitectureConfig.atLeast("radial_features", radialFeatures, 64, 1),
                ArchitectureConfig.atLeast("features", features, 512, 1),
                rezeroInit == null ? 0.0 : rezeroInit,
                ArchitectureConfig.cutoff(cutoff, 8.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 32, 1),
                head,
                init);
    }

    /** SODNet's defaults with the evidential head. */
    public static SodnetConfig defaults() {
        return of(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null);
    }

    /** Channels of degrees 0..max_degree: scalars, vectors[, tensors]. */
    public int[] channels() {
        return maxDegree == 2
                ? new int[] {scalars, vectors, tensors}
                : new int[] {scalars, vectors};
    }

    @Override
    public SodnetConfig withHead(String newHead) {
        return new SodnetConfig(
                layers,
                maxDegree,
                scalars,
                vectors,
                tensors,
                heads,
                ffnFactor,
                edgeBins,
                radialFeatures,
                features,
                rezeroInit,
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
    public SodnetBlock newBlock() {
        return new SodnetBlock(this);
    }

    @Override
    public String name() {
        return "sodnet";
    }
}
