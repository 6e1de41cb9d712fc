package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Segments;

/**
 * GATGNN's augmented graph-attention convolution (AGAT; Louis et al., Phys. Chem. Chem. Phys. 22,
 * 18141, 2020), the convolution DeeperGATGNN stacks (Omee et al., Patterns 3, 100491, 2022). For
 * the bond j -> i with features e_ij and H heads of width F:
 *
 * <pre>
 *   p_i     = softplus(W [h_i, e_ij]),  p_j = softplus(W [h_j, e_ij])     [E, H, F], W [2F, H F]
 *   s_ij    = softplus(sum_d [p_i, p_j]_d a_d)                            [E, H], a [H, 2F]
 *   alpha   = softmax over the bonds into i of softplus(BN(s_ij))         [E, H]
 *   h'_i    = mean_heads sum_j alpha_ij p_j + b                           [N, F]
 * </pre>
 *
 * W has no bias; a is Glorot-uniform and b starts at zero, as GATGNN. Input: h [N, F], e [E, F],
 * src [E] int64, then the {@link Segments#toNDList()} of the bonds grouped by destination atom;
 * output h' [N, F].
 */
public final class AgatConv extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int features;
    private final int heads;
    private final Linear projection;
    private final Parameter attention;
    private final BatchNorm attentionNorm;
    private final Parameter bias;

    private AgatConv(Builder b) {
        super(VERSION);
        features = b.features;
        heads = b.heads;
        projection =
                addChildBlock(
                        "projection",
                        Linear.builder().setUnits((long) heads * features).optBias(false).build());
        attention =
                addParameter(
                        Parameter.builder()
                                .setName("attention")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(heads, 2L * features))
                                .optInitializer(
                                        new XavierInitializer(
                                                XavierInitializer.RandomType.UNIFORM,
                                                XavierInitializer.FactorType.AVG,
                                                3))
                                .build());
        attentionNorm = addChildBlock("attention_norm", BatchNorm.builder().build());
        bias =
                addParameter(
                        Parameter.builder()
                                .setName("bias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(features))
                                .build());
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
            Segments byDestination,
            boolean training) {
        NDList in = new NDList(h, e, src);
        in.addAll(byDestination.toNDList());
        return forward(ps, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray h = in.get(0);
        NDArray e = in.get(1);
        NDArray src = in.get(2);
        Segments byDst = Segments.fromNDList(in, 3);
        long edges = e.getShape().get(0);
        NDArray pi = project(ps, byDst.broadcast(h), e, training);
        NDArray pj = project(ps, GraphOps.gather(h, src), e, training);
        NDArray a = ps.getValue(attention, h.getDevice(), training);
        NDArray score =
                Activation.softPlus(
                        pi.concat(pj, 2)
                                .mul(a.reshape(1, heads, 2L * features))
                                .sum(new int[] {2}));
        score = Activation.softPlus(Blocks.apply(attentionNorm, ps, score, training));
        NDArray alpha = byDst.softmax(score);
        NDArray messages = pj.mul(alpha.reshape(edges, heads, 1)).reshape(edges, -1);
        NDArray summed = byDst.sum(messages).reshape(-1, heads, features).mean(new int[] {1});
        return new NDList(summed.add(ps.getValue(bias, h.getDevice(), training)));
    }

    /** softplus(W [x, e]) as [E, H, F]. */
    private NDArray project(ParameterStore ps, NDArray x, NDArray e, boolean training) {
        return Activation.softPlus(Blocks.apply(projection, ps, x.concat(e, 1), training))
                .reshape(-1, heads, features);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, new Shape(1, 2L * features));
        attentionNorm.initialize(manager, dataType, new Shape(1, heads));
    }

    /** Builds an {@link AgatConv}. */
    public static final class Builder {
        private int features;
        private int heads = 4;

        /** Atom and bond feature width F (they must match). */
        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        /** Attention heads H (default 4, as GATGNN). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        public AgatConv build() {
            if (features <= 0) {
                throw new IllegalArgumentException("features (" + features + ") must be > 0");
            }
            if (heads <= 0) {
                throw new IllegalArgumentException("heads (" + heads + ") must be > 0");
            }
            return new AgatConv(this);
        }
    }
}
