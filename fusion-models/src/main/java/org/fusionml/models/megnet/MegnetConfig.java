package org.fusionml.models.megnet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * MEGNet (Chen, Ye, Zuo, Zheng and Ong, Chem. Mater. 31, 3564, 2019) hyper-parameters, {@code type:
 * megnet}; defaults are those of the paper's code for crystals (megnet's {@code MEGNetModel}): 3
 * blocks, dense widths n1 = 64, n2 = 32, n3 = 16, atom embedding 16, set2set with 3 steps, bonds of
 * a 4 Angstrom radius graph expanded on 100 Gaussians with centres from 0 to cutoff + 1 Angstrom
 * and width 0.5 Angstrom.
 *
 * @param blocks MEGNet blocks (default 3)
 * @param embedding width of the atom embedding (default 16)
 * @param dense width n1 of the first dense layer of every feed-forward and update network (default
 *     64)
 * @param features width n2 of the atom, bond and state features between blocks (default 32)
 * @param readout width n3 of each set2set memory (its output is twice as wide) and of the last
 *     hidden readout layer (default 16)
 * @param set2setSteps set2set processing steps (default 3)
 * @param gaussians bond-length expansion size (default 100)
 * @param gaussianWidth width sigma of each Gaussian exp(-(d - mu)^2 / sigma^2), Angstrom (default
 *     0.5)
 * @param cutoff radius-graph cutoff, Angstrom; the Gaussian centres run from 0 to cutoff + 1
 *     (default 4)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record MegnetConfig(
        @JsonProperty("blocks") int blocks,
        @JsonProperty("embedding") int embedding,
        @JsonProperty("dense") int dense,
        @JsonProperty("features") int features,
        @JsonProperty("readout") int readout,
        @JsonProperty("set2set_steps") int set2setSteps,
        @JsonProperty("gaussians") int gaussians,
        @JsonProperty("gaussian_width") double gaussianWidth,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public MegnetConfig {
        ArchitectureConfig.atLeast("blocks", blocks, 0, 1);
        ArchitectureConfig.atLeast("embedding", embedding, 0, 1);
        ArchitectureConfig.atLeast("dense", dense, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 1);
        ArchitectureConfig.atLeast("readout", readout, 0, 1);
        ArchitectureConfig.atLeast("set2set_steps", set2setSteps, 0, 1);
        ArchitectureConfig.atLeast("gaussians", gaussians, 0, 2);
        ArchitectureConfig.positive("gaussian_width", gaussianWidth, 0);
        ArchitectureConfig.cutoff(cutoff, 0);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static MegnetConfig of(
            @JsonProperty("blocks") Integer blocks,
            @JsonProperty("embedding") Integer embedding,
            @JsonProperty("dense") Integer dense,
            @JsonProperty("features") Integer features,
            @JsonProperty("readout") Integer readout,
            @JsonProperty("set2set_steps") Integer set2setSteps,
            @JsonProperty("gaussians") Integer gaussians,
            @JsonProperty("gaussian_width") Double gaussianWidth,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new MegnetConfig(
                ArchitectureConfig.atLeast("blocks", blocks, 3, 1),
                ArchitectureConfig.atLeast("embedding", embedding, 16, 1),
                ArchitectureConfig.atLeast("dense", dense, 64, 1),
                ArchitectureConfig.atLeast("features", features, 32, 1),
                ArchitectureConfig.atLeast("readout", readout, 16, 1),
                ArchitectureConfig.atLeast("set2set_steps", set2setSteps, 3, 1),
                ArchitectureConfig.atLeast("gaussians", gaussians, 100, 2),
                ArchitectureConfig.positive("gaussian_width", gaussianWidth, 0.5),
                ArchitectureConfig.cutoff(cutoff, 4.0),
                head,
                init);
    }

    /** MEGNet's defaults with the evidential head. */
    public static MegnetConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null, null);
    }

    @Override
    public MegnetConfig withHead(String newHead) {
        return new MegnetConfig(
                blocks,
                embedding,
                dense,
                features,
                readout,
                set2setSteps,
                gaussians,
                gaussianWidth,
                cutoff,
                newHead,
                init);
    }

    @Override
    public boolean knnGraph() {
        return false;
    }

    /** A radius graph: no k. */
    @Override
    @JsonIgnore
    public int maxNeighbors() {
        return 0;
    }

    @Override
    public boolean lineGraph() {
        return false;
    }

    @Override
    public MegnetBlock newBlock() {
        return new MegnetBlock(this);
    }

    @Override
    public String name() {
        return "megnet";
    }
}
