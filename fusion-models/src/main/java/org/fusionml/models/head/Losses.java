package org.fusionml.models.head;

import ai.djl.ndarray.NDArray;
import org.fusionml.models.ops.Scalars;

/** Training losses, each the mean over the batch of a per-structure term. */
public final class Losses {
    private Losses() {}

    /** Mean absolute error, mean |y - p|. */
    public static NDArray mae(NDArray prediction, NDArray target) {
        return prediction.sub(target).abs().mean();
    }

    /** Mean squared error, mean (y - p)^2. */
    public static NDArray mse(NDArray prediction, NDArray target) {
        return prediction.sub(target).square().mean();
    }

    /**
     * Negative log-likelihood of y under the NIG evidential distribution (Amini et al. 2020, Eq.
     * 8), per structure: 0.5 log(pi / nu) - alpha log(Omega) + (alpha + 0.5) log((y - gamma)^2 nu +
     * Omega) + log Gamma(alpha) - log Gamma(alpha + 0.5), with Omega = 2 beta (1 + nu). It is the
     * negative log density of a Student-t with 2 alpha degrees of freedom, location gamma and
     * scale^2 beta (1 + nu) / (nu alpha).
     */
    public static NDArray nigNll(EvidentialOutput o, NDArray y) {
        NDArray omega = o.beta().mul(o.nu().add(1)).mul(Scalars.of(y, 2));
        NDArray resid2 = y.sub(o.gamma()).square();
        // Constants as arrays of the input's type (a Number scalar would be float32; see Scalars)
        NDArray half = Scalars.of(y, 0.5);
        return Scalars.of(y, Math.log(Math.PI))
                .sub(o.nu().log())
                .mul(half)
                .sub(o.alpha().mul(omega.log()))
                .add(o.alpha().add(half).mul(resid2.mul(o.nu()).add(omega).log()))
                .add(o.alpha().gammaln())
                .sub(o.alpha().add(half).gammaln());
    }

    /** The evidence regulariser |y - gamma| (2 nu + alpha), per structure. */
    public static NDArray nigRegulariser(EvidentialOutput o, NDArray y) {
        return y.sub(o.gamma()).abs().mul(o.nu().mul(Scalars.of(y, 2)).add(o.alpha()));
    }

    /** Deep evidential regression loss: mean(NLL + lambda * regulariser). */
    public static NDArray der(EvidentialOutput o, NDArray y, float lambda) {
        return nigNll(o, y).add(nigRegulariser(o, y).mul(Scalars.of(y, lambda))).mean();
    }
}
