package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * ComFormer's node-wise transformer layer (Yan, Fu, Qian and Ji, "Complete and Efficient Graph
 * Transformers for Crystal Material Property Prediction", ICLR 2024; {@code ComformerConv} of its
 * code). With H heads of width C = F, for the bond j -> i (source j, destination i) with features
 * e_ij and phi(x) = W_2 SiLU(W_1 x + b_1) + b_2 a two-layer network 3C -> C -> C:
 *
 * <pre>
 *   q = W_q h + b_q,  k = W_k h + b_k,  v = W_v h + b_v              [N, H, C]
 *   f_ij     = W_e e_ij + b_e                                       [E, H, C]
 *   alpha_ij = q_i * phi_k([k_i, k_j, f_ij]) / sqrt(C)              [E, H, C] (elementwise)
 *   m_ij     = phi_m([v_i, v_j, f_ij]) * sigmoid(BN_att(alpha_ij))   [E, H, C]
 *   h'_i     = softplus(h_i + BN(W_c [sum_j m_ij]_heads + b_c))      [N, C]
 * </pre>
 *
 * BN_att normalises the C channels over all bonds and heads, BN over the atoms; phi_k and phi_m are
 * shared by the heads. As in Matformer, the attention gates every feature of every bond instead of
 * a softmax over the neighbours.
 *
 * <p>Input: h [N, F], e [E, F], src [E] int64, dst [E] int64, edgeToAtom sparse [N, E]; output h'
 * [N, F].
 */
public final class ComformerConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear edge;
    private final Perceptron keyUpdate;
    private final Perceptron messageUpdate;
    private final BatchNorm attentionNorm;
    private final Linear concat;
    private final BatchNorm norm;

    private ComformerConv(Builder b) {
        super(VERSION);
        width = b.width;
        heads = b.heads;
        long hc = (long) heads * width;
        query = addChildBlock("query", Linear.builder().setUnits(hc).build());
        key = addChildBlock("key", Linear.builder().setUnits(hc).build());
        value = addChildBlock("value", Linear.builder().setUnits(hc).build());
        edge = addChildBlock("edge", Linear.builder().setUnits(hc).build());
        keyUpdate = addChildBlock("key_update", siluPair(width));
        messageUpdate = addChildBlock("message_update", siluPair(width));
        attentionNorm = addChildBlock("attention_norm", BatchNorm.builder().build());
        concat = addChildBlock("concat", Linear.builder().setUnits(width).build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    /** W_2 SiLU(W_1 x + b_1) + b_2, both layers {@code width} wide. */
    static Perceptron siluPair(int width) {
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
        NDArray src = in.get(2);
        NDArray dst = in.get(3);
        NDArray edgeToAtom = in.get(4);
        long edges = e.getShape().get(0);
        HeadedBonds b =
                HeadedBonds.of(ps, query, key, value, edge, h, e, src, dst, heads, width, training);
        NDArray qi = b.qi();
        NDArray ki = b.ki();
        NDArray kj = b.kj();
        NDArray vi = b.vi();
        NDArray vj = b.vj();
        NDArray f = b.f();
        NDArray keys = Blocks.apply(keyUpdate, ps, ki.concat(kj, 1).concat(f, 1), training);
        NDArray alpha = qi.mul(keys).mul(Scalars.of(qi, 1 / Math.sqrt(width)));
        NDArray gate = Activation.sigmoid(Blocks.apply(attentionNorm, ps, alpha, training));
        NDArray m =
                Blocks.apply(messageUpdate, ps, vi.concat(vj, 1).concat(f, 1), training).mul(gate);
        NDArray summed = GraphOps.scatter(edgeToAtom, m.reshape(edges, (long) heads * width));
        NDArray out = Blocks.apply(norm, ps, Blocks.apply(concat, ps, summed, training), training);
        return new NDList(Activation.softPlus(h.add(out)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, width);
        for (Linear l : new Linear[] {query, key, value, edge}) {
            l.initialize(manager, dataType, row);
        }
        keyUpdate.initialize(manager, dataType, new Shape(1, 3L * width));
        messageUpdate.initialize(manager, dataType, new Shape(1, 3L * width));
        attentionNorm.initialize(manager, dataType, row);
        concat.initialize(manager, dataType, new Shape(1, (long) heads * width));
        norm.initialize(manager, dataType, row);
    }

    /** Builds a {@link ComformerConv}. */
    public static final class Builder {
        private int width;
        private int heads = 1;

        /** Width F = C of the atoms, the bonds and each head. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Attention heads H (default 1, as iComFormer). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public ComformerConv build() {
            if (width <= 0) {
                throw new IllegalArgumentException("width (" + width + ") must be > 0");
            }
            if (heads <= 0) {
                throw new IllegalArgumentException("heads (" + heads + ") must be > 0");
            }
            return new ComformerConv(this);
        }
    }
}
