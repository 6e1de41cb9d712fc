package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import org.fusionml.models.ops.Scalars;

/**
 * Equiformer's equivariant graph attention with non-linear messages ({@code GraphAttention}, {@code
 * nonlinear_message=True}, as SODNet uses it). With x the atoms' {@link Irreps} features (C_l
 * channels of degree l = 0..L), Y_ij the harmonics and g_ij the radial features of bond j -&gt; i,
 * H heads, (x)_w the depthwise tensor product with path weights w ({@link Irreps#depthwise}):
 *
 * <pre>
 *   m_ij    = W_src x_j + b + W_dst x_i                                 degrees 0..L, [E, C_l, 2l+1]
 *   t_ij    = m_ij (x)_{w(g_ij)} Y_ij          w = RadialProfile(g)      degrees 0..L, [E, P_l, 2l+1]
 *   a_ij^h  = sum_k q^h_k SmoothLeakyReLU(W_a t_ij)^h_k                  scores [E, H]
 *   alpha   = softmax over the bonds into i of a_ij^h                      [E, H]
 *   v_ij    = W_v2 (Gate(W_v1 t_ij) (x)_u Y_ij)       u learned, the same for every bond
 *   x'_i    = W_o sum_j alpha_ij^h v_ij^h                                  degrees 0..L, [N, C_l, 2l+1]
 * </pre>
 *
 * where W are {@link IrrepsLinear} maps, the channels of every degree are split into H heads of C_l
 * / H, the scores come from the C_0 scalars (C_0 / H per head) and SmoothLeakyReLU(x) = (1 + a) x /
 * 2 + (1 - a) x (2 sigmoid(x) - 1) / 2 with a = 0.2. x' turns with the structure as x does; the
 * weights alpha are invariant.
 *
 * <p>Simplified against the paper's code: no attention dropout (its alpha_drop 0.2), and the radial
 * network's last layer has the framework's initialisation instead of e3nn's per-path factors.
 *
 * <p>Input: x (L + 1 arrays) then {@link Bonds#toNDList()}; output x' (L + 1 arrays).
 */
final class SodnetAttention extends AbstractBlock {
    private static final byte VERSION = 1;

    /** Negative slope a of the SmoothLeakyReLU of the scores (the paper's 0.2). */
    static final double SLOPE = 0.2;

    private final int[] channels;
    private final int heads;
    private final int radialWidth;
    private final int lMax;
    private final IrrepsLinear mergeSrc;
    private final IrrepsLinear mergeDst;
    private final RadialProfile radial;
    private final IrrepsLinear alpha;
    private final IrrepsLinear valueIn;
    private final Parameter valueWeights;
    private final IrrepsLinear valueOut;
    private final Parameter query;
    private final IrrepsLinear project;

    private SodnetAttention(Builder b) {
        super(VERSION);
        channels = b.channels.clone();
        heads = b.heads;
        radialWidth = b.radialWidth;
        lMax = channels.length - 1;
        int[] products = Irreps.depthwiseChannels(channels, lMax, lMax);
        int weights = Irreps.depthwiseWeights(channels, lMax, lMax);
        int[] gated = channels.clone();
        for (int l = 1; l <= lMax; l++) {
            gated[0] += channels[l];
        }
        mergeSrc = addChildBlock("merge_src", new IrrepsLinear(channels, channels, true));
        mergeDst = addChildBlock("merge_dst", new IrrepsLinear(channels, channels, false));
        radial = addChildBlock("radial", new RadialProfile(radialWidth, weights));
        alpha = addChildBlock("alpha", new IrrepsLinear(products, new int[] {channels[0]}, true));
        valueIn = addChildBlock("value_in", new IrrepsLinear(products, gated, true));
        valueWeights =
                addParameter(
                        Parameter.builder()
                                .setName("value_weights")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(1, weights))
                                .optInitializer(new NormalInitializer(1))
                                .build());
        valueOut = addChildBlock("value_out", new IrrepsLinear(products, channels, true));
        query =
                addParameter(
                        Parameter.builder()
                                .setName("query")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(heads, channels[0] / heads))
                                .optInitializer(
                                        new XavierInitializer(
                                                XavierInitializer.RandomType.UNIFORM,
                                                XavierInitializer.FactorType.AVG,
                                                2))
                                .build());
        project = addChildBlock("project", new IrrepsLinear(channels, channels, true));
    }

    static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: x' (L + 1 arrays). */
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
        long edges = bonds.size();
        NDList m =
                Irreps.add(
                        Irreps.gather(mergeSrc.apply(ps, x, training), bonds.src()),
                        Irreps.gather(mergeDst.apply(ps, x, training), bonds.dst()));
        NDArray w = radial.forward(ps, new NDList(bonds.radial()), training).singletonOrThrow();
        NDList t = Irreps.depthwise(m, bonds.harmonics(), lMax, w, lMax);

        NDArray a = alpha.apply(ps, t, training).get(0).reshape(edges, heads, -1);
        NDArray q = ps.getValue(query, a.getDevice(), training);
        NDArray scores = smoothLeakyRelu(a).mul(q.expandDims(0)).sum(new int[] {2});
        NDArray weights = bonds.incoming().softmax(scores).reshape(edges, heads, 1, 1);

        NDList v = Irreps.gate(valueIn.apply(ps, t, training));
        NDArray u = ps.getValue(valueWeights, a.getDevice(), training);
        v = valueOut.apply(ps, Irreps.depthwise(v, bonds.harmonics(), lMax, u, lMax), training);
        NDList weighted = new NDList();
        for (int l = 0; l <= lMax; l++) {
            weighted.add(
                    v.get(l)
                            .reshape(edges, heads, channels[l] / heads, 2L * l + 1)
                            .mul(weights)
                            .reshape(edges, channels[l], 2L * l + 1));
        }
        return project.apply(ps, Irreps.scatter(bonds.edgeToAtom(), weighted), training);
    }

    /** (1 + a) x / 2 + (1 - a) x (2 sigmoid(x) - 1) / 2. */
    static NDArray smoothLeakyRelu(NDArray x) {
        NDArray odd = Activation.sigmoid(x).mul(Scalars.of(x, 2)).sub(Scalars.of(x, 1));
        return x.mul(Scalars.of(x, (1 + SLOPE) / 2))
                .add(x.mul(odd).mul(Scalars.of(x, (1 - SLOPE) / 2)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape[] out = new Shape[lMax + 1];
        for (int l = 0; l <= lMax; l++) {
            out[l] = new Shape(inputs[0].get(0), channels[l], 2L * l + 1);
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] x = IrrepsLinear.shapes(channels);
        Shape[] t = IrrepsLinear.shapes(Irreps.depthwiseChannels(channels, lMax, lMax));
        mergeSrc.initialize(manager, dataType, x);
        mergeDst.initialize(manager, dataType, x);
        radial.initialize(manager, dataType, inputShapes[lMax + 2]);
        alpha.initialize(manager, dataType, t);
        valueIn.initialize(manager, dataType, t);
        valueOut.initialize(manager, dataType, t);
        project.initialize(manager, dataType, x);
    }

    /** Builds a {@link SodnetAttention}. */
    static final class Builder {
        private int[] channels;
        private int heads;
        private int radialWidth;

        /** Channels of degrees 0..L (L = 1 or 2); every one a multiple of the heads. */
        Builder setChannels(int... channels) {
            this.channels = channels.clone();
            return this;
        }

        Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Width of the hidden layers of the radial network. */
        Builder setRadialWidth(int radialWidth) {
            this.radialWidth = radialWidth;
            return this;
        }

        SodnetAttention build() {
            if (heads < 1) {
                throw new IllegalArgumentException("heads (" + heads + ") must be > 0");
            }
            if (radialWidth < 1) {
                throw new IllegalArgumentException(
                        "radial width (" + radialWidth + ") must be > 0");
            }
            if (channels == null || channels.length < 2 || channels.length > 3) {
                throw new IllegalArgumentException("channels of degrees 0..1 or 0..2 are needed");
            }
            for (int l = 0; l < channels.length; l++) {
                if (channels[l] < heads || channels[l] % heads != 0) {
                    throw new IllegalArgumentException(
                            "channels of degree "
                                    + l
                                    + " ("
                                    + channels[l]
                                    + ") must be a positive multiple of the heads ("
                                    + heads
                                    + ")");
                }
            }
            return new SodnetAttention(this);
        }
    }
}
