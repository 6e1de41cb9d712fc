package org.fusionml.train.trainer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/** Checks of the accumulated gradients before an optimiser step. */
public final class Gradients {
    private Gradients() {}

    /**
     * Checks and clips the gradient vector {@code gradient} [P] of {@code parameters} before an
     * optimiser step. If any element is not finite (a finite loss can still have one, and a single
     * Adam update with it turns every parameter to NaN), the result says so and names the
     * parameters concerned: the caller skips the update, as PyTorch's AMP gradient scaler does.
     * Otherwise, when {@code maxNorm > 0}, {@code gradient} is scaled in place by min(1, maxNorm /
     * ||g||), ||g|| the L2 norm over all parameters together (PyTorch's clip_grad_norm_).
     */
    static Check clip(FlatParameters parameters, NDArray gradient, double maxNorm) {
        double sumSq;
        // Squares in float64: in float32 they overflow from |g| ~ 2e19, a size Adam copes with.
        try (NDArray d = gradient.toType(DataType.FLOAT64, false);
                NDArray sq = d.square();
                NDArray sum = sq.sum()) {
            sumSq = sum.getDouble();
        }
        if (!Double.isFinite(sumSq)) {
            return new Check(false, Double.NaN, parameters.nonFinite(gradient));
        }
        double norm = Math.sqrt(sumSq);
        if (maxNorm > 0 && norm > maxNorm) {
            gradient.muli((float) (maxNorm / (norm + 1e-6)));
        }
        return new Check(true, norm, List.of());
    }

    /**
     * The outcome of {@link #clip}.
     *
     * @param finite whether every gradient was finite (the step may be taken)
     * @param norm the global L2 norm before clipping (NaN when not finite)
     * @param nonFinite names of the parameters with a non-finite gradient
     */
    public record Check(boolean finite, double norm, List<String> nonFinite) {}
}
