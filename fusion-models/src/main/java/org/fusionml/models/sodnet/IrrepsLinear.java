package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The equivariant linear map of irreducible features (e3nn's {@code Linear}, Equiformer's {@code
 * LinearRS}): channels mix within each degree, never across degrees or coefficients, z^l_{r k m} =
 * sum_c W^l_{k c} x^l_{r c m} (+ b_k for l = 0 only, where a constant is invariant). It commutes
 * with every D^l(R).
 *
 * <p>Input {@link Irreps} x, degrees 0..L_in, [R, C^in_l, 2l + 1]; output degrees 0..L_out, [R,
 * C^out_l, 2l + 1] (L_out &lt;= L_in; the degrees above L_out are dropped). Each degree is a DJL
 * {@link Linear} over the channel axis, so the framework's initialisations apply to it.
 */
final class IrrepsLinear extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int[] in;
    private final int[] out;
    private final List<Linear> degrees = new ArrayList<>();

    /**
     * @param in channels of each input degree (0 where a degree is absent)
     * @param out channels of each output degree, at most as many degrees as {@code in}
     * @param scalarBias whether degree 0 has a bias
     */
    IrrepsLinear(int[] in, int[] out, boolean scalarBias) {
        super(VERSION);
        if (out.length > in.length) {
            throw new IllegalArgumentException(
                    "linear map from degrees "
                            + Arrays.toString(in)
                            + " to "
                            + Arrays.toString(out));
        }
        for (int l = 0; l < out.length; l++) {
            if (out[l] < 1 || in[l] < 1) {
                throw new IllegalArgumentException(
                        "degree "
                                + l
                                + " maps "
                                + in[l]
                                + " channels to "
                                + out[l]
                                + " (both must be > 0)");
            }
        }
        this.in = in.clone();
        this.out = out.clone();
        for (int l = 0; l < out.length; l++) {
            degrees.add(
                    addChildBlock(
                            "degree_" + l,
                            Linear.builder()
                                    .setUnits(out[l])
                                    .optBias(l == 0 && scalarBias)
                                    .build()));
        }
    }

    /** Named form of {@link #forward}. */
    NDList apply(ParameterStore ps, NDList x, boolean training) {
        return forward(ps, x, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList x, boolean training, PairList<String, Object> params) {
        NDList z = new NDList();
        for (int l = 0; l < out.length; l++) {
            NDArray xl = x.get(l);
            NDArray moved = l == 0 ? xl.reshape(-1, in[0]) : xl.transpose(0, 2, 1);
            NDArray y = degrees.get(l).forward(ps, new NDList(moved), training).singletonOrThrow();
            z.add(l == 0 ? y.reshape(-1, out[0], 1) : y.transpose(0, 2, 1));
        }
        return z;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] shapes = new Shape[out.length];
        for (int l = 0; l < out.length; l++) {
            shapes[l] = new Shape(inputs[l].get(0), out[l], 2L * l + 1);
        }
        return shapes;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (int l = 0; l < out.length; l++) {
            degrees.get(l).initialize(manager, dataType, new Shape(1, in[l]));
        }
    }

    /** Shapes [1, C_l, 2l + 1] of features with {@code channels} (to initialise blocks). */
    static Shape[] shapes(int[] channels) {
        Shape[] s = new Shape[channels.length];
        for (int l = 0; l < channels.length; l++) {
            s[l] = new Shape(1, channels[l], 2L * l + 1);
        }
        return s;
    }
}
