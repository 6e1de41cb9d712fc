package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import org.fusionml.models.ops.Scalars;

/**
 * Gaussian radial basis expansion (ALIGNN's RBFExpansion): phi_k(d) = exp(-gamma (d - mu_k)^2) with
 * centres mu = linspace(min, max, bins) and gamma = 1 / (mu_1 - mu_0), ALIGNN's choice of the
 * inverse centre spacing. Maps [R] to [R, bins]; no parameters.
 *
 * @param min first centre (Angstrom for bonds, cosine for angles)
 * @param max last centre
 * @param bins number of centres
 */
public record RadialBasis(double min, double max, int bins) {
    public RadialBasis {
        if (bins < 2 || !(max > min)) {
            throw new IllegalArgumentException(
                    "radial basis needs bins >= 2 and max > min, got "
                            + bins
                            + ", ["
                            + min
                            + ", "
                            + max
                            + "]");
        }
    }

    /** The spacing-derived width parameter gamma = (bins - 1) / (max - min). */
    public double gamma() {
        return (bins - 1) / (max - min);
    }

    /**
     * Expands {@code values}.
     *
     * @param values [R]
     * @return [R, bins]
     */
    public NDArray expand(NDArray values) {
        return expand(values, gamma());
    }

    /**
     * Expands {@code values} with another width: phi_k(d) = exp(-gamma (d - mu_k)^2), for models
     * whose papers set the width apart from the centre spacing (MEGNet: gamma = 1 / width^2).
     *
     * @param values [R]
     * @param gamma width parameter, in the inverse square unit of the values (> 0)
     * @return [R, bins]
     */
    public NDArray expand(NDArray values, double gamma) {
        NDArray centres =
                values.getManager()
                        .linspace((float) min, (float) max, bins)
                        .toType(values.getDataType(), false);
        NDArray diff = values.reshape(-1, 1).sub(centres.reshape(1, -1));
        return diff.square().mul(Scalars.of(diff, -gamma)).exp();
    }
}
