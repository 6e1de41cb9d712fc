package org.fusionml.models.head;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import org.fusionml.models.ops.Scalars;

/**
 * The parameters of a Normal-Inverse-Gamma distribution per structure (deep evidential regression,
 * Amini et al., NeurIPS 2020), each [B].
 *
 * <p>{@link #fromRaw} maps the network's 4 outputs: gamma = raw_0, nu = softplus(raw_1) + floor,
 * alpha = softplus(raw_2) + 1 + floor, beta = softplus(raw_3) + floor, the raw values of nu, alpha
 * and beta first capped at {@link #RAW_CAP}: in float32 the NIG log-likelihood loses all precision
 * for alpha of order 1e6 (-alpha log Omega + (alpha + 0.5) log(...) cancels), and one such value
 * turned the parameters to NaN late in training. {@link #toNDList()} / {@link #fromNDList} use the
 * order gamma, nu, alpha, beta.
 *
 * @param gamma predicted mean
 * @param nu evidence for the mean (> 0)
 * @param alpha shape (> 1)
 * @param beta scale (> 0)
 */
public record EvidentialOutput(NDArray gamma, NDArray nu, NDArray alpha, NDArray beta) {
    /** Lower bound added to nu, alpha - 1 and beta for numerical safety. */
    public static final float FLOOR = 1e-6f;

    /** Upper bound of the raw nu, alpha and beta outputs before softplus (so alpha <= 31). */
    public static final float RAW_CAP = 30f;

    /** From the network's raw output [B, 4]. */
    public static EvidentialOutput fromRaw(NDArray raw) {
        NDArray gamma = raw.get(":, 0");
        NDArray cap = Scalars.of(raw, RAW_CAP);
        NDArray nu = Activation.softPlus(raw.get(":, 1").minimum(cap)).add(FLOOR);
        NDArray alpha = Activation.softPlus(raw.get(":, 2").minimum(cap)).add(1 + FLOOR);
        NDArray beta = Activation.softPlus(raw.get(":, 3").minimum(cap)).add(FLOOR);
        return new EvidentialOutput(gamma, nu, alpha, beta);
    }

    /** Aleatoric variance E[sigma^2] = beta / (alpha - 1), [B]. */
    public NDArray aleatoric() {
        return beta.div(alpha.sub(1));
    }

    /** Epistemic variance Var[mu] = beta / (nu (alpha - 1)), [B]. */
    public NDArray epistemic() {
        return beta.div(nu.mul(alpha.sub(1)));
    }

    public NDList toNDList() {
        return new NDList(gamma, nu, alpha, beta);
    }

    public static EvidentialOutput fromNDList(NDList list) {
        return new EvidentialOutput(list.get(0), list.get(1), list.get(2), list.get(3));
    }
}
