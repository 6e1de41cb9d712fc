package org.fusionml.train.trainer;

import java.util.List;

/**
 * Model outputs per structure: the prediction and variances in physical units (target unit,
 * variances in unit^2) and, for the evidential head, the Normal-Inverse-Gamma parameters as the
 * network gives them, in the standardised units it was trained in (what FUSION's Eq. 3 reads).
 *
 * @param prediction [n] predicted value, target unit (gamma for the evidential head)
 * @param nu [n] NIG nu (null without an evidential head)
 * @param alpha [n] NIG alpha
 * @param beta [n] NIG beta in unit^2
 * @param aleatoric [n] beta / (alpha - 1), unit^2
 * @param epistemic [n] beta / (nu (alpha - 1)), unit^2
 * @param standardBeta [n] NIG beta in the model's standardised units (beta / std^2 of the training
 *     targets)
 */
public record Predictions(
        double[] prediction,
        double[] nu,
        double[] alpha,
        double[] beta,
        double[] aleatoric,
        double[] epistemic,
        double[] standardBeta) {
    public boolean evidential() {
        return nu != null;
    }

    /**
     * The columns of {@link #csvCells}: {@code prediction} and, when evidential, {@code
     * gamma,nu,alpha,beta,aleatoric,epistemic} (variances in unit^2).
     */
    public List<String> csvHeader() {
        return evidential()
                ? List.of("prediction", "gamma", "nu", "alpha", "beta", "aleatoric", "epistemic")
                : List.of("prediction");
    }

    /** Row {@code k}'s cells under {@link #csvHeader} ({@link Double#toString} of each value). */
    public List<String> csvCells(int k) {
        String p = Double.toString(prediction[k]);
        return evidential()
                ? List.of(
                        p,
                        p,
                        Double.toString(nu[k]),
                        Double.toString(alpha[k]),
                        Double.toString(beta[k]),
                        Double.toString(aleatoric[k]),
                        Double.toString(epistemic[k]))
                : List.of(p);
    }
}
