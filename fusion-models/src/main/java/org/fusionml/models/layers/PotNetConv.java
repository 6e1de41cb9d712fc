package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.ops.GraphOps;

/**
 * PotNet's message-passing layer (Lin et al., "Efficient Approximations of Complete Interatomic
 * Potentials for Crystal Property Prediction", ICML 2023; {@code PotNetConv} of its code). For the
 * bond j -> i with features e_ij, z_ij = [h_i, h_j, e_ij] and phi(x) = W_2 SiLU(W_1 x + b_1) + b_2
 * a two-layer network 3F -> F -> F:
 *
 * <pre>
 *   m_ij = sigmoid(BN_g(phi_g(z_ij))) * phi_m(z_ij)          [E, F]
 *   h'_i = relu(h_i + BN(sum_j m_ij))                        [N, F]
 * </pre>
 *
 * BN_g normalises over the bonds, BN over the atoms.
 *
 * <p>Input: h [N, F], e [E, F], src [E] int64, dst [E] int64, edgeToAtom sparse [N, E]; output h'
 * [N, F].
 */
public final class PotNetConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final Perceptron gate;
    private final Perceptron message;
    private final BatchNorm gateNorm;
    private final BatchNorm norm;

    private PotNetConv(Builder b) {
        super(VERSION);
        this.width = b.width;
        gate = addChildBlock("gate", twoLayers(width));
        message = addChildBlock("message", twoLayers(width));
        gateNorm = addChildBlock("gate_norm", BatchNorm.builder().build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    private static Perceptron twoLayers(int width) {
        return Perceptron.builder().setUnits(width, width).setActivation(Blocks::silu).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: h' [N, F]. */
    public NDArray apply(
            ParameterStore ps,
            NDArray h,
            NDArray e,
            NDArray src,
            NDArray dst,
            NDArray edgeToAtom,
            boolean training) {
        return forward(ps, new NDList(h, e, src, dst, edgeToAtom), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray h = in.get(0);
        NDArray e = in.get(1);
        NDArray z = GraphOps.gather(h, in.get(3)).concat(GraphOps.gather(h, in.get(2)), 1);
        z = z.concat(e, 1);
        NDArray g =
                Activation.sigmoid(
                        Blocks.apply(gateNorm, ps, Blocks.apply(gate, ps, z, training), training));
        NDArray m = g.mul(Blocks.apply(message, ps, z, training));
        NDArray summed = GraphOps.scatter(in.get(4), m);
        return new NDList(Activation.relu(h.add(Blocks.apply(norm, ps, summed, training))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, width);
        gate.initialize(manager, dataType, new Shape(1, 3L * width));
        message.initialize(manager, dataType, new Shape(1, 3L * width));
        gateNorm.initialize(manager, dataType, row);
        norm.initialize(manager, dataType, row);
    }

    /** Builds a {@link PotNetConv}. */
    public static final class Builder {
        private int width;

        /** Width F of the atoms and the bonds. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        public PotNetConv build() {
            if (width <= 0) {
                throw new IllegalArgumentException("width (" + width + ") must be > 0");
            }
            return new PotNetConv(this);
        }
    }
}
