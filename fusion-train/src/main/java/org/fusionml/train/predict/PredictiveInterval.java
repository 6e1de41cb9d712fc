package org.fusionml.train.predict;

import org.fusionml.train.report.Statistics;
import org.fusionml.train.trainer.Predictions;

/**
 * The predictive uncertainty of an evidential (Normal-Inverse-Gamma) prediction in the target's
 * unit (Amini et al., "Deep Evidential Regression", NeurIPS 2020).
 *
 * <p>For NIG(gamma, nu, alpha, beta) (beta in unit^2): aleatoric variance E[sigma^2] = beta /
 * (alpha - 1), epistemic variance Var[mu] = beta / (nu (alpha - 1)) (as {@link Predictions} holds
 * them); their square roots are the aleatoric and epistemic sigmas, and the total sigma is sqrt(
 * aleatoric + epistemic). The predictive distribution of a new target is Student's t with 2 alpha
 * degrees of freedom, location gamma and scale s = sqrt(beta (1 + nu) / (nu alpha)) (its variance
 * s^2 2 alpha / (2 alpha - 2) is the total variance); the central interval of probability {@link
 * #LEVEL} is gamma +- t_{(1 + LEVEL) / 2}(2 alpha) s.
 */
public final class PredictiveInterval {
    /** Probability of the central interval. */
    public static final double LEVEL = 0.95;

    private PredictiveInterval() {}

    /** The aleatoric sigma sqrt(beta / (alpha - 1)) of row {@code k}, target unit. */
    public static double sigmaAleatoric(Predictions p, int k) {
        return Math.sqrt(p.aleatoric()[k]);
    }

    /** The epistemic sigma sqrt(beta / (nu (alpha - 1))) of row {@code k}, target unit. */
    public static double sigmaEpistemic(Predictions p, int k) {
        return Math.sqrt(p.epistemic()[k]);
    }

    /** The total sigma sqrt(aleatoric + epistemic variance) of row {@code k}, target unit. */
    public static double sigmaTotal(Predictions p, int k) {
        return Math.sqrt(p.aleatoric()[k] + p.epistemic()[k]);
    }

    /**
     * Half the width of row {@code k}'s {@link #LEVEL} interval, t_{(1 + LEVEL) / 2}(2 alpha)
     * sqrt(beta (1 + nu) / (nu alpha)), target unit.
     */
    public static double halfWidth(Predictions p, int k) {
        double nu = p.nu()[k];
        double alpha = p.alpha()[k];
        double scale = Math.sqrt(p.beta()[k] * (1 + nu) / (nu * alpha));
        return Statistics.studentTQuantile((1 + LEVEL) / 2, 2 * alpha) * scale;
    }
}
