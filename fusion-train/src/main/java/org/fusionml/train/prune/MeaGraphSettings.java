package org.fusionml.train.prune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * MEAGraph settings; the environment vectors are species-agnostic SOAP spectra with the {@code
 * scores} SOAP settings.
 *
 * @param kernels attention kernels per layer (3)
 * @param hidden encoder widths ([64, 16]); the decoder mirrors them
 * @param band [low, high] of the min-max normalised similarity exp(-|x_i - x_j|) that makes an edge
 *     ([0.9, 1.0])
 * @param epochs full-batch training steps (100)
 * @param learningRate Adam learning rate (0.001)
 * @param maxEdges largest band graph accepted, directed edges (5,000,000)
 */
public record MeaGraphSettings(
        @JsonProperty("kernels") Integer kernels,
        @JsonProperty("hidden") List<Integer> hidden,
        @JsonProperty("band") List<Double> band,
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("max_edges") Long maxEdges) {
    public MeaGraphSettings {
        MeaGraph.Settings d = MeaGraph.Settings.defaults();
        kernels = kernels == null ? d.kernels() : kernels;
        hidden = hidden == null ? d.hidden() : List.copyOf(hidden);
        band = band == null ? List.of(d.bandLow(), d.bandHigh()) : List.copyOf(band);
        epochs = epochs == null ? d.epochs() : epochs;
        learningRate = learningRate == null ? d.learningRate() : learningRate;
        maxEdges = maxEdges == null ? d.maxEdges() : maxEdges;
        if (band.size() != 2) {
            throw new IllegalArgumentException("meagraph.band must be [low, high], got " + band);
        }
        new MeaGraph.Settings(
                kernels,
                hidden,
                band.get(0),
                band.get(1),
                epochs,
                learningRate,
                maxEdges); // validates
    }

    public MeaGraph.Settings settings() {
        return new MeaGraph.Settings(
                kernels, hidden, band.get(0), band.get(1), epochs, learningRate, maxEdges);
    }

    public static MeaGraphSettings defaults() {
        return new MeaGraphSettings(null, null, null, null, null, null);
    }
}
