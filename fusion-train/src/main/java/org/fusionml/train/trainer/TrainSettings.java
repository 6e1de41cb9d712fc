package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.fusionml.data.Ranges;

/**
 * Optimisation.
 *
 * @param epochs maximum epochs, >= 1 (default 300)
 * @param batchSize structures per batch, >= 1 (default 128)
 * @param learningRate peak learning rate, > 0 (default 1e-3)
 * @param weightDecay AdamW decoupled weight decay, >= 0, not applied to biases and norms (1e-5)
 * @param schedule {@code onecycle} (stepped per batch), {@code cosine} or {@code constant}
 * @param cycleMomentum with {@code onecycle}, cycle Adam's beta1 0.95 -> 0.85 -> 0.95 against the
 *     learning rate, as PyTorch's OneCycleLR does by default (and so ALIGNN); {@code false} keeps
 *     beta1 at 0.9. Default true with {@code onecycle}; {@code true} with another schedule is an
 *     error
 * @param patience epochs without validation-MAE improvement before stopping (default 30)
 * @param seed seed of initialisation and shuffling (default 0)
 * @param gradClip largest global L2 norm of the gradient of the loss in standardised units; larger
 *     gradients are scaled down to it (PyTorch's clip_grad_norm_); 0 turns clipping off (default 0,
 *     as ALIGNN)
 * @param device {@code auto} (the first GPU when PyTorch sees one, else the CPU), {@code cpu} or
 *     {@code gpu:N}; a GPU that is not there is an error, never a silent fallback
 */
public record TrainSettings(
        @JsonProperty("epochs") Integer epochs,
        @JsonProperty("batch_size") Integer batchSize,
        @JsonProperty("learning_rate") Double learningRate,
        @JsonProperty("weight_decay") Double weightDecay,
        @JsonProperty("schedule") String schedule,
        @JsonProperty("cycle_momentum") Boolean cycleMomentum,
        @JsonProperty("patience") Integer patience,
        @JsonProperty("seed") Long seed,
        @JsonProperty("grad_clip") Double gradClip,
        @JsonProperty("device") String device) {
    public TrainSettings {
        epochs = epochs == null ? 300 : epochs;
        batchSize = batchSize == null ? 128 : batchSize;
        learningRate = learningRate == null ? 1e-3 : learningRate;
        weightDecay = weightDecay == null ? 1e-5 : weightDecay;
        schedule = schedule == null ? "onecycle" : schedule;
        if (cycleMomentum == null) {
            cycleMomentum = schedule.equals("onecycle");
        } else if (cycleMomentum && !schedule.equals("onecycle")) {
            throw new IllegalArgumentException(
                    "train.cycle_momentum needs train.schedule onecycle (it is " + schedule + ")");
        }
        patience = patience == null ? 30 : patience;
        seed = seed == null ? 0L : seed;
        gradClip = gradClip == null ? 0.0 : gradClip;
        device = device == null ? "auto" : device;
        if (!device.matches("auto|cpu|gpu:\\d+")) {
            throw new IllegalArgumentException(
                    "train.device '" + device + "' is not known; valid: auto, cpu, gpu:N");
        }
        Ranges.nonNegative("train.grad_clip", gradClip, "");
        Ranges.atLeast("train.epochs", epochs, 1);
        Ranges.atLeast("train.batch_size", batchSize, 1);
        Ranges.atLeast("train.patience", patience, 1);
        Ranges.positive("train.learning_rate", learningRate, "");
        Ranges.nonNegative("train.weight_decay", weightDecay, "");
        if (!List.of("onecycle", "cosine", "constant").contains(schedule)) {
            throw new IllegalArgumentException(
                    "train.schedule '"
                            + schedule
                            + "' is not known; valid: onecycle, cosine, constant");
        }
    }

    public static TrainSettings defaults() {
        return new TrainSettings(null, null, null, null, null, null, null, null, null, null);
    }

    /** The same settings with another seed. */
    public TrainSettings withSeed(long newSeed) {
        return new TrainSettings(
                epochs,
                batchSize,
                learningRate,
                weightDecay,
                schedule,
                cycleMomentum,
                patience,
                newSeed,
                gradClip,
                device);
    }
}
