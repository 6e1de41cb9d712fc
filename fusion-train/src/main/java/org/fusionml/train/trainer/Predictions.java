package org.fusionml.train.trainer;

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

    /** CSV columns after the prediction: ",gamma,nu,alpha,beta,aleatoric,epistemic" or "". */
    public String csvExtraHeader() {
        return evidential() ? ",gamma,nu,alpha,beta,aleatoric,epistemic" : "";
    }

    /** Appends row {@code k}'s prediction and, when evidential, its NIG columns to {@code sb}. */
    public StringBuilder appendCsv(StringBuilder sb, int k) {
        sb.append(prediction[k]);
        if (evidential()) {
            sb.append(',')
                    .append(prediction[k])
                    .append(',')
                    .append(nu[k])
                    .append(',')
                    .append(alpha[k])
                    .append(',')
                    .append(beta[k])
                    .append(',')
                    .append(aleatoric[k])
                    .append(',')
                    .append(epistemic[k]);
        }
        return sb;
    }
}
