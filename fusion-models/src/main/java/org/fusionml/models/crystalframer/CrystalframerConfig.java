package org.fusionml.models.crystalframer;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * CrystalFramer (Ito, Taniai, Igarashi, Ushiku and Ono, ICLR 2025) hyper-parameters, {@code type:
 * crystalframer}; defaults are those of the paper's code for JARVIS ({@code
 * params/crystalframer/default_jarvis.json} with {@code train_jarvis.sh}): 4 attention blocks of
 * width 128 with 8 heads and a feed-forward layer of 512, r_0 = 1.4 Angstrom, 64 Gaussians for the
 * lengths and 64 for each frame cosine, a readout layer of 128, max frames. The images are those of
 * the radius graph within {@code cutoff}: 7 Angstrom by default, just beyond the code's adaptive
 * cutoff of 3.5 sigma for the widest Gaussian, sigma = r_0 / sqrt(0.5) = 1.98 Angstrom (the code
 * also keeps at least the translations -2..2 along each lattice vector).
 *
 * @param layers attention blocks, at least 1 (default 4)
 * @param features width of the atoms (default 128), a multiple of {@code heads}
 * @param heads attention heads per block (default 8)
 * @param ffFeatures width of the feed-forward layer of each block (default 512)
 * @param lengthBins Gaussians of the length expansion over (0, 10 r_0] (default 64)
 * @param angleBins Gaussians of the expansion of each frame cosine's absolute value over [0, 1]
 *     (default 64)
 * @param fcFeatures width of the hidden readout layer (default 128)
 * @param scale r_0, Angstrom: the widest Gaussian decay has sigma = r_0 / sqrt(0.5) (default 1.4)
 * @param cutoff radius of the images an atom attends to, Angstrom (default 7)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record CrystalframerConfig(
        @JsonProperty("layers") int layers,
        @JsonProperty("features") int features,
        @JsonProperty("heads") int heads,
        @JsonProperty("ff_features") int ffFeatures,
        @JsonProperty("length_bins") int lengthBins,
        @JsonProperty("angle_bins") int angleBins,
        @JsonProperty("fc_features") int fcFeatures,
        @JsonProperty("scale") double scale,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public CrystalframerConfig {
        ArchitectureConfig.atLeast("layers", layers, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("heads", heads, 0, 1);
        if (features % heads != 0) {
            throw new IllegalArgumentException(
                    "model.features ("
                            + features
                            + ") must be a multiple of heads ("
                            + heads
                            + ")");
        }
        ArchitectureConfig.atLeast("ff_features", ffFeatures, 0, 1);
        ArchitectureConfig.atLeast("length_bins", lengthBins, 0, 2);
        ArchitectureConfig.atLeast("angle_bins", angleBins, 0, 2);
        ArchitectureConfig.atLeast("fc_features", fcFeatures, 0, 1);
        ArchitectureConfig.positive("scale", scale, 0);
        ArchitectureConfig.cutoff(cutoff, 0);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static CrystalframerConfig of(
            @JsonProperty("layers") Integer layers,
            @JsonProperty("features") Integer features,
            @JsonProperty("heads") Integer heads,
            @JsonProperty("ff_features") Integer ffFeatures,
            @JsonProperty("length_bins") Integer lengthBins,
            @JsonProperty("angle_bins") Integer angleBins,
            @JsonProperty("fc_features") Integer fcFeatures,
            @JsonProperty("scale") Double scale,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new CrystalframerConfig(
                ArchitectureConfig.atLeast("layers", layers, 4, 1),
                ArchitectureConfig.atLeast("features", features, 128, 1),
                ArchitectureConfig.atLeast("heads", heads, 8, 1),
                ArchitectureConfig.atLeast("ff_features", ffFeatures, 512, 1),
                ArchitectureConfig.atLeast("length_bins", lengthBins, 64, 2),
                ArchitectureConfig.atLeast("angle_bins", angleBins, 64, 2),
                ArchitectureConfig.atLeast("fc_features", fcFeatures, 128, 1),
                ArchitectureConfig.positive("scale", scale, 1.4),
                ArchitectureConfig.cutoff(cutoff, 7.0),
                head,
                init);
    }

    /** CrystalFramer's defaults with the evidential head. */
    public static CrystalframerConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public CrystalframerConfig withHead(String newHead) {
        return new CrystalframerConfig(
                layers,
                features,
                heads,
                ffFeatures,
                lengthBins,
                angleBins,
                fcFeatures,
                scale,
                cutoff,
                newHead,
                init);
    }

    /** The radius graph: every periodic image within the cutoff. */
    @Override
    public boolean knnGraph() {
        return false;
    }

    @Override
    public int maxNeighbors() {
        return 0;
    }

    @Override
    public boolean lineGraph() {
        return false;
    }

    @Override
    public CrystalframerBlock newBlock() {
        return new CrystalframerBlock(this);
    }

    @Override
    public String name() {
        return "crystalframer";
    }
}
