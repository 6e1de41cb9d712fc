package org.fusionml.models.meagraph;

import java.util.List;

/**
 * MEAGraph autoencoder shape.
 *
 * @param inputFeatures width of the environment vectors
 * @param hidden encoder widths, e.g. [64, 16]; the decoder mirrors them back to inputFeatures
 * @param kernels attention kernels per layer
 */
public record MeaGraphConfig(int inputFeatures, List<Integer> hidden, int kernels) {
    public MeaGraphConfig {
        hidden = List.copyOf(hidden);
        if (inputFeatures < 1
                || kernels < 1
                || hidden.isEmpty()
                || hidden.stream().anyMatch(h -> h < 1)) {
            throw new IllegalArgumentException(
                    "meagraph needs input features >= 1, kernels >= 1 and at least one hidden width"
                            + " >= 1");
        }
    }

    public MeaGraphBlock newBlock() {
        return new MeaGraphBlock(this);
    }
}
