package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.fusionml.data.Ranges;

/**
 * Objective.
 *
 * @param type {@code der}, {@code mae} or {@code mse} (default der)
 * @param lambda weight of the evidence regulariser in DER (default 0.01)
 */
public record LossSettings(
        @JsonProperty("type") String type, @JsonProperty("lambda") Double lambda) {
    /** The known {@code type}s. */
    public static final List<String> TYPES = List.of("der", "mae", "mse");

    public LossSettings {
        type = type == null ? "der" : type;
        lambda = lambda == null ? 0.01 : lambda;
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(
                    "loss.type '" + type + "' is not known; valid: " + String.join(", ", TYPES));
        }
        Ranges.nonNegative("loss.lambda", lambda, "");
    }

    public static LossSettings defaults() {
        return new LossSettings(null, null);
    }
}
