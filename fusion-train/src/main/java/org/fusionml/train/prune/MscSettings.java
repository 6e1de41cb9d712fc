package org.fusionml.train.prune;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.data.descriptor.Quests;

/**
 * Minimum set cover over atomic environments (QUESTS descriptors and kernel).
 *
 * @param k neighbours per environment (32)
 * @param cutoff descriptor cutoff, Angstrom (5)
 * @param bandwidth Gaussian kernel bandwidth h, 1/Angstrom (0.015)
 */
public record MscSettings(
        @JsonProperty("k") Integer k,
        @JsonProperty("cutoff") Double cutoff,
        @JsonProperty("bandwidth") Double bandwidth) {
    public MscSettings {
        k = k == null ? 32 : k;
        cutoff = cutoff == null ? 5.0 : cutoff;
        bandwidth = bandwidth == null ? 0.015 : bandwidth;
        new Quests(k, cutoff); // validates
        if (!(bandwidth > 0)) {
            throw new IllegalArgumentException("msc.bandwidth (" + bandwidth + ") must be > 0");
        }
    }

    public static MscSettings defaults() {
        return new MscSettings(null, null, null);
    }
}
