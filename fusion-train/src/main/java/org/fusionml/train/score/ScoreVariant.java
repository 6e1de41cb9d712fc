package org.fusionml.train.score;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A scoring variant of a loop: the score settings that change how the surrogate's outputs and the
 * fingerprints become U, W and I, each null to keep the loop's {@code scores} value. The surrogate
 * and the fingerprints are the loop's, so a variant costs a re-scoring, not a training; a method
 * {@code fusion@NAME} prunes by the variant's scores.
 *
 * @param lambda epistemic weight in Eq. 3 (none: {@code scores.lambda})
 * @param gamma weighting-factor scale in Eq. 5 (none: {@code scores.gamma})
 * @param weighting {@code cosine} or {@code euclidean} (none: {@code scores.weighting})
 * @param aleatoric {@code expected_variance} or {@code beta_over_alpha} (none: {@code
 *     scores.aleatoric})
 */
public record ScoreVariant(
        @JsonProperty("lambda") Double lambda,
        @JsonProperty("gamma") Double gamma,
        @JsonProperty("weighting") String weighting,
        @JsonProperty("aleatoric") String aleatoric) {

    /** {@code base} with this variant's settings in place of its own. */
    public ScoreSettings over(ScoreSettings base) {
        return new ScoreSettings(
                lambda == null ? base.lambda() : lambda,
                gamma == null ? base.gamma() : gamma,
                weighting == null ? base.weighting() : weighting,
                base.rCut(),
                base.nMax(),
                base.lMax(),
                base.sigma(),
                base.symprec(),
                base.predictions(),
                base.folds(),
                aleatoric == null ? base.aleatoric() : aleatoric);
    }
}
