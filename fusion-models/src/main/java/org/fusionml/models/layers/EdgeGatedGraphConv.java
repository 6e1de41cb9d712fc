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

/**
 * Edge-gated graph convolution (Dwivedi et al. 2020, as used by ALIGNN, Choudhary and DeCost, npj
 * Comput. Mater. 7, 185, 2021). For an edge j -> i with features e_ij:
 *
 * <pre>
 *   m_ij   = W_src h_j + W_dst h_i + W_e e_ij,      s_ij = sigmoid(m_ij)
 *   agg_i  = sum_j s_ij * (W_B h_j) / (sum_j s_ij + 1e-6)
 *   h'_i   = h_i + SiLU(BN(W_A h_i + agg_i))
 *   e'_ij  = e_ij + SiLU(BN(m_ij))
 * </pre>
 *
 * Inputs: h [N, F], e [E, F], src [E], dst [E] (int64), the sparse sum-into-destination matrix [N,
 * E]. Outputs: h' [N, F], e' [E, F]; h' alone for a layer built with {@code setEdgeOutput(false)},
 * where nothing reads e' (ALIGNN's last layers): e' = e + SiLU(BN(m)) is then not computed, in
 * training nor inference, and h' is unchanged to the bit. The edge norm's parameters stay, so
 * parameter files are the same either way; its running statistics are not updated.
 */
public final class EdgeGatedGraphConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int features;
    private final boolean edgeOutput;
    private final Linear srcGate;
    private final Linear dstGate;
    private final Linear edgeGate;
    private final Linear messageUpdate; // W_B
    private final Linear selfUpdate; // W_A
    private final BatchNorm nodeNorm;
    private final BatchNorm edgeNorm;

    private EdgeGatedGraphConv(Builder b) {
        super(VERSION);
        features = b.features;
        edgeOutput = b.edgeOutput;
        srcGate = addChildBlock("src_gate", linear(features));
        dstGate = addChildBlock("dst_gate", linear(features));
        edgeGate = addChildBlock("edge_gate", linear(features));
        messageUpdate = addChildBlock("message_update", linear(features));
        selfUpdate = addChildBlock("self_update", linear(features));
        nodeNorm = addChildBlock("node_norm", BatchNorm.builder().build());
        edgeNorm = addChildBlock("edge_norm", BatchNorm.builder().build());
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the layer computes e' (see the class comment). */
    public boolean edgeOutput() {
        return edgeOutput;
    }

    /** Named form of {@link #forward}: returns {h', e'}, or {h'} without the edge output. */
    public NDList apply(
            ParameterStore ps,
            NDArray h,
            NDArray e,
            NDArray src,
            NDArray dst,
            NDArray sumToDst,
            boolean training) {
        return forward(ps, new NDList(h, e, src, dst, sumToDst), training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray h = in.get(0);
        NDArray e = in.get(1);
        NDArray src = in.get(2);
        NDArray dst = in.get(3);
        NDArray sumToDst = in.get(4);
        NDArray m =
                GraphOps.gather(Blocks.apply(srcGate, ps, h, training), src)
                        .add(GraphOps.gather(Blocks.apply(dstGate, ps, h, training), dst))
                        .add(Blocks.apply(edgeGate, ps, e, training));
        NDArray sigma = Activation.sigmoid(m);
        NDArray messages =
                sigma.mul(GraphOps.gather(Blocks.apply(messageUpdate, ps, h, training), src));
        NDArray agg =
                GraphOps.scatter(sumToDst, messages)
                        .div(GraphOps.scatter(sumToDst, sigma).add(1e-6f));
        NDArray nodes = Blocks.apply(selfUpdate, ps, h, training).add(agg);
        NDArray hOut = h.add(Blocks.silu(Blocks.apply(nodeNorm, ps, nodes, training)));
        if (!edgeOutput) {
            return new NDList(hOut);
        }
        NDArray eOut = e.add(Blocks.silu(Blocks.apply(edgeNorm, ps, m, training)));
        return new NDList(hOut, eOut);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return edgeOutput ? new Shape[] {inputs[0], inputs[1]} : new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape node = new Shape(1, features);
        for (Linear l : new Linear[] {srcGate, dstGate, edgeGate, messageUpdate, selfUpdate}) {
            l.initialize(manager, dataType, node);
        }
        nodeNorm.initialize(manager, dataType, node);
        edgeNorm.initialize(manager, dataType, node);
    }

    /** Builds an {@link EdgeGatedGraphConv}. */
    public static final class Builder {
        private int features;
        private boolean edgeOutput = true;

        /** Node and edge feature width F (they must match: the update is residual). */
        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        /**
         * Whether to compute the updated edge features e' (default true); false for a layer whose
         * e' nothing reads.
         */
        public Builder setEdgeOutput(boolean edgeOutput) {
            this.edgeOutput = edgeOutput;
            return this;
        }

        public EdgeGatedGraphConv build() {
            if (features <= 0) {
                throw new IllegalArgumentException("features (" + features + ") must be > 0");
            }
            return new EdgeGatedGraphConv(this);
        }
    }
}
