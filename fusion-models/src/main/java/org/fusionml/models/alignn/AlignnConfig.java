package org.fusionml.models.alignn;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;

/**
 * ALIGNN (Choudhary and DeCost, npj Comput. Mater. 2021) hyper-parameters, {@code type: alignn}.
 * Defaults are ALIGNN's: 4 ALIGNN + 4 GCN layers, hidden 256, embedding 64, 80 bond bins on [0,
 * cutoff] Angstrom, 40 angle bins on [-1, 1], the 12-nearest-neighbour graph within 8 Angstrom.
 *
 * @param alignnLayers layers updating atoms, bonds and angles (default 4)
 * @param gcnLayers further layers updating atoms and bonds (default 4)
 * @param hidden feature width of atoms, bonds and angles (default 256)
 * @param embedding width of the bond and angle embeddings before projection to hidden (default 64)
 * @param edgeBins radial basis size for bond lengths (default 80)
 * @param angleBins radial basis size for angle cosines (default 40)
 * @param cutoff graph cutoff and upper end of the bond basis, Angstrom (default 8)
 * @param maxNeighbors k of the k-nearest-neighbour graph (default 12)
 * @param head {@code evidential} (gamma, nu, alpha, beta) or {@code regression} (default
 *     evidential)
 * @param init {@code pytorch} (U(-1/sqrt(fan_in), 1/sqrt(fan_in)), as nn.Linear) or {@code xavier}
 *     (DJL's default) initialisation of the linear layers (default pytorch)
 */
public record AlignnConfig(
        @JsonProperty("alignn_layers") int alignnLayers,
        @JsonProperty("gcn_layers") int gcnLayers,
        @JsonProperty("hidden") int hidden,
        @JsonProperty("embedding") int embedding,
        @JsonProperty("edge_bins") int edgeBins,
        @JsonProperty("angle_bins") int angleBins,
        @JsonProperty("cutoff") double cutoff,
        @JsonProperty("max_neighbors") int maxNeighbors,
        @JsonProperty("head") String head,
        @JsonProperty("init") String init)
        implements ArchitectureConfig {
    public AlignnConfig {
        ArchitectureConfig.atLeast("alignn_layers", alignnLayers, 0, 0);
        ArchitectureConfig.atLeast("gcn_layers", gcnLayers, 0, 0);
        ArchitectureConfig.atLeast("hidden", hidden, 0, 1);
        ArchitectureConfig.atLeast("embedding", embedding, 0, 1);
        ArchitectureConfig.atLeast("edge_bins", edgeBins, 0, 2);
        ArchitectureConfig.atLeast("angle_bins", angleBins, 0, 2);
        ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 0, 1);
        ArchitectureConfig.cutoff(cutoff, 0);
        head = ArchitectureConfig.checkHead(head);
        init = ArchitectureConfig.checkInit(init);
    }

    /** Binds a configuration section: every key may be missing and takes its default. */
    @JsonCreator
    public static AlignnConfig of(
            @JsonProperty("alignn_layers") Integer alignnLayers,
            @JsonProperty("gcn_layers") Integer gcnLayers,
            @JsonProperty("hidden") Integer hidden,
            @JsonProperty("embedding") Integer embedding,
            @JsonProperty("edge_bins") Integer edgeBins,
            @JsonProperty("angle_bins") Integer angleBins,
            @JsonProperty("cutoff") Double cutoff,
            @JsonProperty("max_neighbors") Integer maxNeighbors,
            @JsonProperty("head") String head,
            @JsonProperty("init") String init) {
        return new AlignnConfig(
                ArchitectureConfig.atLeast("alignn_layers", alignnLayers, 4, 0),
                ArchitectureConfig.atLeast("gcn_layers", gcnLayers, 4, 0),
                ArchitectureConfig.atLeast("hidden", hidden, 256, 1),
                ArchitectureConfig.atLeast("embedding", embedding, 64, 1),
                ArchitectureConfig.atLeast("edge_bins", edgeBins, 80, 2),
                ArchitectureConfig.atLeast("angle_bins", angleBins, 40, 2),
                ArchitectureConfig.cutoff(cutoff, 8.0),
                ArchitectureConfig.atLeast("max_neighbors", maxNeighbors, 12, 1),
                head,
                init);
    }

    /** ALIGNN's defaults: 4 + 4 layers, hidden 256, evidential head. */
    public static AlignnConfig defaults() {
        return of(null, null, null, null, null, null, null, null, null, null);
    }

    /** The CPU-sized variant: 2 + 2 layers, hidden 64, evidential head. */
    public static AlignnConfig small() {
        return of(2, 2, 64, 64, null, null, null, null, null, null);
    }

    @Override
    public AlignnConfig withHead(String newHead) {
        return new AlignnConfig(
                alignnLayers,
                gcnLayers,
                hidden,
                embedding,
                edgeBins,
                angleBins,
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
        return true;
    }

    @Override
    public AlignnBlock newBlock() {
        return new AlignnBlock(this);
    }

    @Override
    public String name() {
        return "alignn";
    }
}
