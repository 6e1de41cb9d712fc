package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * One SODNet transformer block ({@code TransBlock} of the paper's "noNorm" model): graph attention
 * and an equivariant feed-forward network, each added to the residual stream through one learned
 * factor rho that starts at 0 (ReZero; the paper's model has no layer norm inside its blocks):
 *
 * <pre>
 *   x'  = x + rho Attention(x)                                    ({@link SodnetAttention})
 *   x'' = S x' + rho W_2 Gate(W_1 x')                               degrees 0..L -&gt; output
 * </pre>
 *
 * W_1, W_2 and S are {@link IrrepsLinear} maps (Equiformer's tensor products with the constant node
 * attribute 1x0e are exactly these), the hidden width is {@code ffnFactor} times the channels of
 * every degree, and S is the identity unless the output differs from the input: the last block maps
 * to {@code outputScalars} scalars only (the paper's 512x0e) and S is then a linear map of the
 * scalars.
 *
 * <p>Input: x (L + 1 arrays [N, C_l, 2l + 1]) then {@link Bonds#toNDList()}; output x'' (L + 1
 * arrays, or one [N, outputScalars, 1] in the last block).
 */
final class SodnetLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int[] channels;
    private final int[] output;
    private final int[] hidden;
    private final int lMax;
    private final SodnetAttention attention;
    private final IrrepsLinear ffnIn;
    private final IrrepsLinear ffnOut;
    private final IrrepsLinear shortcut;
    private final Parameter rezero;

    private SodnetLayer(Builder b) {
        super(VERSION);
        channels = b.channels.clone();
        lMax = channels.length - 1;
        output = b.outputScalars > 0 ? new int[] {b.outputScalars} : channels.clone();
        attention =
                addChildBlock(
                        "attention",
                        SodnetAttention.builder()
                                .setChannels(channels)
                                .setHeads(b.heads)
                                .setRadialWidth(b.radialWidth)
                                .build());
        hidden = new int[lMax + 1];
        int[] gated = new int[lMax + 1];
        for (int l = 0; l <= lMax; l++) {
            hidden[l] = b.ffnFactor * channels[l];
            gated[l] = hidden[l];
            if (l > 0) {
                gated[0] += hidden[l];
            }
        }
        ffnIn = addChildBlock("ffn_in", new IrrepsLinear(channels, gated, true));
        ffnOut = addChildBlock("ffn_out", new IrrepsLinear(hidden, output, true));
        shortcut =
                b.outputScalars > 0
                        ? addChildBlock("shortcut", new IrrepsLinear(channels, output, true))
                        : null;
        rezero =
                addParameter(
                        Parameter.builder()
                                .setName("rezero")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(1))
                                .optInitializer(new ConstantInitializer((float) b.rezeroInit))
                                .build());
    }

    static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}. */
    NDList apply(ParameterStore ps, NDList x, Bonds bonds, boolean training) {
        NDList in = new NDList(x);
        in.addAll(bonds.toNDList());
        return forward(ps, in, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDList x = new NDList(in.subNDList(0, lMax + 1));
        Bonds bonds = Bonds.fromNDList(in, lMax + 1);
        NDArray rho = ps.getValue(rezero, x.get(0).getDevice(), training);
        NDList attended = attention.apply(ps, x, bonds, training);
        NDList mid = Irreps.add(x, Irreps.times(attended, rho));
        NDList ffn = ffnOut.apply(ps, Irreps.gate(ffnIn.apply(ps, mid, training)), training);
        NDList skip = shortcut == null ? mid : shortcut.apply(ps, mid, training);
        return Irreps.add(skip, Irreps.times(ffn, rho));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] out = new Shape[output.length];
        for (int l = 0; l < output.length; l++) {
            out[l] = new Shape(inputs[0].get(0), output[l], 2L * l + 1);
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        attention.initialize(manager, dataType, inputShapes);
        Shape[] x = IrrepsLinear.shapes(channels);
        ffnIn.initialize(manager, dataType, x);
        ffnOut.initialize(manager, dataType, IrrepsLinear.shapes(hidden));
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, x);
        }
    }

    /** Builds a {@link SodnetLayer}. */
    static final class Builder {
        private int[] channels;
        private int heads;
        private int radialWidth;
        private int ffnFactor;
        private int outputScalars;
        private double rezeroInit;

        /** Channels of degrees 0..L. */
        Builder setChannels(int... channels) {
            this.channels = channels.clone();
            return this;
        }

        Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        Builder setRadialWidth(int radialWidth) {
            this.radialWidth = radialWidth;
            return this;
        }

        /** Hidden channels of the feed-forward network per channel of the input. */
        Builder setFfnFactor(int ffnFactor) {
            this.ffnFactor = ffnFactor;
            return this;
        }

        /** For the last block: its output is this many scalars (default 0: as the input). */
        Builder optOutputScalars(int outputScalars) {
            this.outputScalars = outputScalars;
            return this;
        }

        /** Initial value of the residual factor rho (default 0). */
        Builder optRezeroInit(double rezeroInit) {
            this.rezeroInit = rezeroInit;
            return this;
        }

        SodnetLayer build() {
            if (ffnFactor < 1) {
                throw new IllegalArgumentException("ffn factor (" + ffnFactor + ") must be > 0");
            }
            if (outputScalars < 0) {
                throw new IllegalArgumentException(
                        "output scalars (" + outputScalars + ") must be >= 0");
            }
            return new SodnetLayer(this);
        }
    }
}
