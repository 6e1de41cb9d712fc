package org.fusionml.models.schnet;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * SchNet (Schütt et al., J. Chem. Phys. 2018) hyper-parameters, {@code type: schnet}; defaults are
 * SchNet's for crystals: 3 interaction blocks, 64 features, 50 Gaussians up to the 5 Angstrom
 * cutoff of a radius graph.
 *
 * @param interactions interaction blocks (default 3)
 * @param features atom feature width (default 64)
 * @param gaussians distance expansion size (default 50)
 * @param cutoff radius-graph cutoff and expansion range, Angstrom (default 5)
 * @param head {@code evidential} or {@code regression} (default evidential)
 * @param init {@code pytorch} or {@code xavier} initialisation of the linear layers (default
 *     pytorch)
 */
public record SchnetConfig(
        @JsonProperty("interactions") int interactions,
        @JsonProperty("features") int features,
        @JsonProperty("gaussians") int gaussians,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public SchnetConfig {
        ArchitectureConfig.atLeast("interactions", interactions, 0, 1);
        ArchitectureConfig.atLeast("features", features, 0, 2);
        ArchitectureConfig.atLeast("gaussians", gaussians, 0, 2);
        ArchitectureConfig.cutoff(cutoff, 0);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static SchnetConfig of(
            @JsonProperty("interactions") Integer interactions,
            @JsonProperty("features") Integer features,
            @JsonProperty("gaussians") Integer gaussians,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new SchnetConfig(
                ArchitectureConfig.atLeast("interactions", interactions, 3, 1),
                ArchitectureConfig.atLeast("features", features, 64, 2),
                ArchitectureConfig.atLeast("gaussians", gaussians, 50, 2),
                ArchitectureConfig.cutoff(cutoff, 5.0),
                head,
                init);
    }

    /** SchNet's defaults with the evidential head. */
    public static SchnetConfig defaults() {
        return of(null, null, null, null, null, null);
    }

    @Override
    public SchnetConfig withHead(String newHead) {
        return new SchnetConfig(interactions, features, gaussians, cutoff, newHead, init);
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
    public SchnetBlock newBlock() {
        return new SchnetBlock(this);
    }

    @Override
    public String name() {
        return "schnet";
    }
}
