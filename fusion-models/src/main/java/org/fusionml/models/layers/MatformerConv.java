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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * Matformer's node-wise graph-transformer layer (Yan, Liu, Lin and Ji, "Periodic Graph Transformers
 * for Crystal Material Property Prediction", NeurIPS 2022; {@code MatformerConv} of its code). With
 * H heads of width C, for the bond j -> i (source j, destination i) with features e_ij:
 *
 * <pre>
 *   q = W_q h + b_q,  k = W_k h + b_k,  v = W_v h + b_v                   [N, H, C]
 *   f_ij     = W_e e_ij                                                  [E, H, C]
 *   alpha_ij = [q_i, q_i, q_i] * [k_i, k_j, f_ij] / sqrt(3C)             [E, H, 3C] (elementwise)
 *   m_ij     = (W_u [v_i, v_j, f_ij] + b_u) * sigmoid(LN_3C(alpha_ij))    [E, H, 3C]
 *   m_ij     = LN_C(W_m m_ij + b_m)                                       [E, H, C]
 *   h'_i     = SiLU(BN(W_c [sum_j m_ij]_heads + b_c)) + W_s h_i + b_s      [N, C]
 * </pre>
 *
 * LN is a layer normalisation over the last axis (per bond and head), BN a batch normalisation over
 * the atoms; W_u and W_m are shared by the heads, whose messages are concatenated before W_c. The
 * attention is a gate per feature and bond rather than a softmax over the neighbours, as in the
 * paper's code.
 *
 * <p>Input: h [N, F], e [E, F_e], src [E] int64, dst [E] int64, edgeToAtom sparse [N, E] (sums
 * bonds into their destination atoms); output h' [N, C].
 */
public final class MatformerConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear edge;
    private final LayerNorm attentionNorm;
    private final Linear messageUpdate;
    private final Linear messageOut;
    private final LayerNorm messageNorm;
    private final Linear concat;
    private final BatchNorm norm;
    private final Linear skip;

    private MatformerConv(Builder b) {
        super(VERSION);
        width = b.width;
        heads = b.heads;
        long hc = (long) heads * width;
        query = addChildBlock("query", Linear.builder().setUnits(hc).build());
        key = addChildBlock("key", Linear.builder().setUnits(hc).build());
        value = addChildBlock("value", Linear.builder().setUnits(hc).build());
        edge = addChildBlock("edge", Linear.builder().setUnits(hc).optBias(false).build());
        attentionNorm = addChildBlock("attention_norm", LayerNorm.builder().build());
        messageUpdate =
                addChildBlock("message_update", Linear.builder().setUnits(3L * width).build());
        messageOut = addChildBlock("message_out", Linear.builder().setUnits(width).build());
        messageNorm = addChildBlock("message_norm", LayerNorm.builder().build());
        concat = addChildBlock("concat", Linear.builder().setUnits(width).build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
        skip = addChildBlock("skip", Linear.builder().setUnits(width).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: h' [N, C]. */
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
        NDArray alpha =
                qi.concat(qi, 1)
                        .concat(qi, 1)
                        .mul(ki.concat(kj, 1).concat(f, 1))
                        .mul(Scalars.of(qi, 1 / Math.sqrt(3.0 * width)));
        NDArray gate = Activation.sigmoid(Blocks.apply(attentionNorm, ps, alpha, training));
        NDArray m =
                Blocks.apply(messageUpdate, ps, vi.concat(vj, 1).concat(f, 1), training).mul(gate);
        m = Blocks.apply(messageNorm, ps, Blocks.apply(messageOut, ps, m, training), training);
        NDArray summed = GraphOps.scatter(edgeToAtom, m.reshape(edges, (long) heads * width));
        NDArray out =
                Blocks.silu(
                        Blocks.apply(
                                norm, ps, Blocks.apply(concat, ps, summed, training), training));
        return new NDList(out.add(Blocks.apply(skip, ps, h, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long hc = (long) heads * width;
        for (Linear l : new Linear[] {query, key, value, skip}) {
            l.initialize(manager, dataType, inputShapes[0]);
        }
        edge.initialize(manager, dataType, inputShapes[1]);
        attentionNorm.initialize(manager, dataType, new Shape(1, 3L * width));
        messageUpdate.initialize(manager, dataType, new Shape(1, 3L * width));
        messageOut.initialize(manager, dataType, new Shape(1, 3L * width));
        messageNorm.initialize(manager, dataType, new Shape(1, width));
        concat.initialize(manager, dataType, new Shape(1, hc));
        norm.initialize(manager, dataType, new Shape(1, width));
    }

    /** Builds a {@link MatformerConv}. */
    public static final class Builder {
        private int width;
        private int heads = 4;

        /** Width C of each head and of the output. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Attention heads H (default 4, as Matformer). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public MatformerConv build() {
            if (width <= 0) {
                throw new IllegalArgumentException("width (" + width + ") must be > 0");
            }
            if (heads <= 0) {
                throw new IllegalArgumentException("heads (" + heads + ") must be > 0");
            }
            return new MatformerConv(this);
        }
    }
}
