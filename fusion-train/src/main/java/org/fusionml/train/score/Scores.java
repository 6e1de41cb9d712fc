package org.fusionml.train.score;

/**
 * FUSION's per-structure scores.
 *
 * <ul>
 *   <li>Uncertainty (Eq. 3): U = sigmoid(-beta / (alpha - 1) + lambda beta / ((alpha - 1) nu)), the
 *       aleatoric term entering with a minus sign, the epistemic one weighted by lambda. The NIG
 *       parameters are the surrogate's own outputs, in standardised target units. The reference
 *       code's variant divides by alpha instead of alpha - 1 ({@code offset} 0).
 *   <li>Weighting factor (Eq. 5): W = exp(-gamma min_{j != i} d(x_i, x_j)), d the cosine distance 1
 *       - F_i . F_j of the fingerprints (or, the reference code's variant, their Euclidean
 *       distance).
 *   <li>Influence (Eq. 6): I = U / W.
 * </ul>
 */
public final class Scores {
    private Scores() {}

    /** Eq. 3 for one structure. */
    public static double uncertainty(double nu, double alpha, double beta, double lambda) {
        return uncertainty(nu, alpha, beta, lambda, 1);
    }

    /**
     * Eq. 3 for one structure with beta divided by alpha - {@code offset}: 1 is the paper's
     * expected variance, 0 the reference code's beta / alpha.
     */
    public static double uncertainty(
            double nu, double alpha, double beta, double lambda, double offset) {
        double aleatoric = beta / (alpha - offset);
        double epistemic = beta / ((alpha - offset) * nu);
        return sigmoid(-aleatoric + lambda * epistemic);
    }

    /** Eq. 5 for one structure, from its distance to the nearest other structure. */
    public static double weightingFactor(double nearestDistance, double gamma) {
        return Math.exp(-gamma * nearestDistance);
    }

    /** Eq. 6. */
    public static double influence(double uncertainty, double weightingFactor) {
        return uncertainty / weightingFactor;
    }

    /** Eq. 3 over arrays, as {@link #uncertainty(double, double, double, double, double)}. */
    public static double[] uncertainty(
            double[] nu, double[] alpha, double[] beta, double lambda, double offset) {
        double[] u = new double[nu.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = uncertainty(nu[i], alpha[i], beta[i], lambda, offset);
        }
        return u;
    }

    /** Eq. 5 over arrays. */
    public static double[] weightingFactor(double[] nearestDistance, double gamma) {
        double[] w = new double[nearestDistance.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weightingFactor(nearestDistance[i], gamma);
        }
        return w;
    }

    /** Eq. 6 over arrays. */
    public static double[] influence(double[] u, double[] w) {
        double[] out = new double[u.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = influence(u[i], w[i]);
        }
        return out;
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }
}
