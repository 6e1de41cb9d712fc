package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
import java.util.ArrayList;
import java.util.List;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * iComFormer's edge-wise transformer layer (Yan, Fu, Qian and Ji, ICLR 2024; {@code
 * ComformerConv_edge} of its code): every bond attends to the three vectors v_1, v_2, v_3 of its
 * crystal's shortest lattice basis, described by the embedding l_k of |v_k| and the embedding a_k
 * of the cosine between the bond vector and v_k. With H heads of width C = F and phi_k, phi_m
 * two-layer networks 3C -> C -> C with SiLU (as in {@link ComformerConv}):
 *
 * <pre>
 *   q = W_q e + b_q,  k = W_k e + b_k,  v = W_v e + b_v                 [E, H, C]
 *   kl_k = W^k_k l_k + b,  vl_k = W^v_k l_k + b   (one pair per k)       [B, H, C]
 *   f_k  = W_a a_k                                                      [E, 3, H, C]
 *   alpha_k = q * phi_k([k, kl_k, f_k]) / sqrt(C)                       [E, 3, H, C]
 *   m_k     = phi_m([v, vl_k, f_k]) * sigmoid(BN_att(alpha_k))           [E, 3, H, C]
 *   e'      = softplus(e + BN(sum_k (W_c [m_k]_heads + b_c)))             [E, C]
 * </pre>
 *
 * kl_k and vl_k are those of the bond's crystal. BN_att normalises the C channels over all bonds,
 * lattice vectors and heads; BN over the bonds.
 *
 * <p>Input: e [E, F]; the lattice-length embeddings [B, 3F] (l_1, l_2, l_3 side by side); the
 * crystal of each bond [E] int64; the angle embeddings [3E, F] (row 3 e + k is a_k of bond e);
 * output e' [E, F].
 */
public final class ComformerEdgeConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final List<Linear> lengthKeys = new ArrayList<>();
    private final List<Linear> lengthValues = new ArrayList<>();
    private final Linear angle;
    private final Perceptron keyUpdate;
    private final Perceptron messageUpdate;
    private final BatchNorm attentionNorm;
    private final Linear concat;
    private final BatchNorm norm;

    private ComformerEdgeConv(Builder b) {
        super(VERSION);
        width = b.width;
        heads = b.heads;
        long hc = (long) heads * width;
        query = addChildBlock("query", Linear.builder().setUnits(hc).build());
        key = addChildBlock("key", Linear.builder().setUnits(hc).build());
        value = addChildBlock("value", Linear.builder().setUnits(hc).build());
        for (int k = 0; k < 3; k++) {
            lengthKeys.add(
                    addChildBlock("lattice_key_" + k, Linear.builder().setUnits(hc).build()));
            lengthValues.add(
                    addChildBlock("lattice_value_" + k, Linear.builder().setUnits(hc).build()));
        }
        angle = addChildBlock("angle", Linear.builder().setUnits(hc).optBias(false).build());
        keyUpdate = addChildBlock("key_update", ComformerConv.siluPair(width));
        messageUpdate = addChildBlock("message_update", ComformerConv.siluPair(width));
        attentionNorm = addChildBlock("attention_norm", BatchNorm.builder().build());
        concat = addChildBlock("concat", Linear.builder().setUnits(width).build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: e' [E, F]. */
    public NDArray apply(
            ParameterStore ps,
            NDArray e,
            NDArray latticeLengths,
            NDArray graphOfEdge,
            NDArray angles,
            boolean training) {
        return forward(ps, new NDList(e, latticeLengths, graphOfEdge, angles), training)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray e = in.get(0);
        NDArray lengths = in.get(1);
        NDArray graphOfEdge = in.get(2);
        NDArray angles = in.get(3);
        long edges = e.getShape().get(0);
        long hc = (long) heads * width;
        long rows = edges * 3 * heads; // one row per bond, lattice vector and head
        NDArray q = perVector(Blocks.apply(query, ps, e, training), edges, hc, rows);
        NDArray k = perVector(Blocks.apply(key, ps, e, training), edges, hc, rows);
        NDArray v = perVector(Blocks.apply(value, ps, e, training), edges, hc, rows);
        NDList kl = new NDList();
        NDList vl = new NDList();
        for (int c = 0; c < 3; c++) {
            NDArray lc = lengths.get(":, " + (long) c * width + ":" + (long) (c + 1) * width);
            kl.add(Blocks.apply(lengthKeys.get(c), ps, lc, training));
            vl.add(Blocks.apply(lengthValues.get(c), ps, lc, training));
        }
        NDArray keyLattice =
                GraphOps.gather(NDArrays.concat(kl, 1), graphOfEdge).reshape(rows, width);
        NDArray valueLattice =
                GraphOps.gather(NDArrays.concat(vl, 1), graphOfEdge).reshape(rows, width);
        NDArray f = Blocks.apply(angle, ps, angles, training).reshape(rows, width);
        NDArray keys = Blocks.apply(keyUpdate, ps, k.concat(keyLattice, 1).concat(f, 1), training);
        NDArray alpha = q.mul(keys).mul(Scalars.of(q, 1 / Math.sqrt(width)));
        NDArray gate = Activation.sigmoid(Blocks.apply(attentionNorm, ps, alpha, training));
        NDArray m =
                Blocks.apply(messageUpdate, ps, v.concat(valueLattice, 1).concat(f, 1), training)
                        .mul(gate);
        NDArray perK = Blocks.apply(concat, ps, m.reshape(edges * 3, hc), training);
        NDArray summed = perK.reshape(edges, 3, width).sum(new int[] {1});
        return new NDList(Activation.softPlus(e.add(Blocks.apply(norm, ps, summed, training))));
    }

    /** [E, H C] repeated for the three lattice vectors, as rows (e, k, head) of width C. */
    private NDArray perVector(NDArray x, long edges, long hc, long rows) {
        return x.reshape(edges, 1, hc).broadcast(new Shape(edges, 3, hc)).reshape(rows, width);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, width);
        for (Linear l : new Linear[] {query, key, value, angle}) {
            l.initialize(manager, dataType, row);
        }
        for (int c = 0; c < 3; c++) {
            lengthKeys.get(c).initialize(manager, dataType, row);
            lengthValues.get(c).initialize(manager, dataType, row);
        }
        keyUpdate.initialize(manager, dataType, new Shape(1, 3L * width));
        messageUpdate.initialize(manager, dataType, new Shape(1, 3L * width));
        attentionNorm.initialize(manager, dataType, row);
        concat.initialize(manager, dataType, new Shape(1, (long) heads * width));
        norm.initialize(manager, dataType, row);
    }

    /** Builds a {@link ComformerEdgeConv}. */
    public static final class Builder {
        private int width;
        private int heads = 1;

        /** Width F = C of the bonds, the lattice embeddings and each head. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Attention heads H (default 1, as iComFormer). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public ComformerEdgeConv build() {
            if (width <= 0) {
                throw new IllegalArgumentException("width (" + width + ") must be > 0");
            }
            if (heads <= 0) {
                throw new IllegalArgumentException("heads (" + heads + ") must be > 0");
            }
            return new ComformerEdgeConv(this);
        }
    }
}
