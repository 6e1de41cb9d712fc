package org.fusionml.models.ops;

import ai.djl.ndarray.NDArray;

/**
 * Constants as engine-owned 0-d arrays, for arithmetic on arrays that carry gradients.
 *
 * <p>Why not {@code x.mul(2)}: DJL's PyTorch engine implements every {@code NDArray op(Number)}
 * overload ({@code mul}, {@code div}, {@code maximum}, {@code minimum}, {@code pow}, ...) by
 * wrapping the number in a Java direct buffer without copying it ({@code from_blob}), applying the
 * op and closing the wrapper at once. Autograd, though, keeps that 0-d tensor for the backward pass
 * of every op whose derivative needs the constant (the factor of a product or quotient, the mask of
 * a maximum or minimum). Once the garbage collector frees the buffer, backward reads whatever was
 * written there since: measured, {@code d(3x)/dx} came out as 7 or -1.8e30 after a collection and
 * some allocation, and MEAGraph training went to NaN in a long run. Arrays made by {@link #of} are
 * allocated by libtorch, so autograd's reference keeps them alive.
 *
 * <p>Rule for model, head and loss code: never pass a Java number to an NDArray op on an array that
 * may require gradients; write {@code x.mul(Scalars.of(x, 2))}. ({@code add} and {@code sub} of a
 * number are safe — their backward does not read the constant — but use this for them too where it
 * reads better.) {@code GradientsSurviveGcTest} checks the gradients of every model, head and loss
 * under a forced collection.
 */
public final class Scalars {
    private Scalars() {}

    /**
     * The constant {@code value} as a 0-d array of {@code like}'s data type, on its device, owned
     * by its manager.
     */
    public static NDArray of(NDArray like, double value) {
        // create(double) aliases a Java buffer for as long as its wrapper lives: converted and
        // cloned
        // into libtorch memory at once, so the value is exact in float64 and rounded once in
        // float32.
        try (NDArray exact = like.getManager().create(value);
                NDArray typed = exact.toType(like.getDataType(), false)) {
            return typed.duplicate();
        }
    }
}
