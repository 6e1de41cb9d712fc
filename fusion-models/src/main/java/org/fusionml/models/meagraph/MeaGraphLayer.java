package org.fusionml.models.meagraph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * One multi-kernel edge-attention layer of MEAGraph (arXiv 2509.12358). For each of K kernels k and
 * every edge j -> i:
 *
 * <pre>
 *   z       = W_k x                                (no bias)
 *   zhat    = z with each column scaled to unit L2 norm over the nodes
 *   a_ij    = exp(-beta_k |zhat_i - zhat_j|)       (beta_k learned, starts at 1)
 *   out_k,i = sum_j (a_ij / (sum_j' a_ij' + 1e-12)) z_j + z_i
 * </pre>
 *
 * then h = Linear(mean_k LeakyReLU(out_k)). The distance is sqrt(|.|^2 + 1e-12) so that duplicate
 * environments (distance 0) have a finite gradient, and the 1e-12 in the normalisation keeps a node
 * whose attentions all underflow (large beta_k times large distances) finite: it then keeps just
 * its own z.
 *
 * <p>Inputs: x [N, F_in], src [E], dst [E] (int64), the sum-into-destination matrix [N, E] of
 * {@link GraphOps#segmentSum}. Outputs: h [N, F_out] and the attention [E], the mean over kernels
 * of the normalised a_ij / sum_j' a_ij' (it sums to 1 over each node's incoming edges; the encoder
 * prunes edges by it).
 */
public final class MeaGraphLayer extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float LEAKY_SLOPE = 0.01f;

    private final int inFeatures;
    private final int outFeatures;
    private final List<Linear> kernels = new ArrayList<>();
    private final List<Parameter> betas = new ArrayList<>();
    private final Linear mix;

    private MeaGraphLayer(Builder b) {
        super(VERSION);
        inFeatures = b.inFeatures;
        outFeatures = b.outFeatures;
        for (int k = 0; k < b.kernels; k++) {
            kernels.add(
                    addChildBlock(
                            "kernel_" + k,
                            Linear.builder().setUnits(outFeatures).optBias(false).build()));
            betas.add(
                    addParameter(
                            Parameter.builder()
                                    .setName("beta_" + k)
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(1))
                                    .optInitializer(new ConstantInitializer(1f))
                                    .build()));
        }
        mix = addChildBlock("mix", Linear.builder().setUnits(outFeatures).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.get(0);
        NDArray src = in.get(1);
        NDArray dst = in.get(2);
        NDArray toDst = in.get(3);
        NDArray sum = null;
        NDArray attention = null;
        for (int k = 0; k < kernels.size(); k++) {
            NDArray z = Blocks.apply(kernels.get(k), ps, x, training);
            NDArray zhat =
                    z.div(z.square().sum(new int[] {0}, true).sqrt().maximum(Scalars.of(z, 1e-12)));
            NDArray diff = GraphOps.gather(zhat, dst).sub(GraphOps.gather(zhat, src));
            NDArray distance = diff.square().sum(new int[] {1}).add(1e-12f).sqrt();
            NDArray beta = ps.getValue(betas.get(k), x.getDevice(), training);
            NDArray a = distance.mul(beta).neg().exp();
            NDArray weight = a.div(GraphOps.gather(GraphOps.scatter(toDst, a), dst).add(1e-12f));
            NDArray out =
                    GraphOps.scatter(toDst, GraphOps.gather(z, src).mul(weight.expandDims(1)))
                            .add(z);
            NDArray activated = Activation.leakyRelu(out, LEAKY_SLOPE);
            sum = sum == null ? activated : sum.add(activated);
            attention = attention == null ? weight : attention.add(weight);
        }
        NDArray h = Blocks.apply(mix, ps, sum.div(Scalars.of(sum, kernels.size())), training);
        return new NDList(h, attention.div(Scalars.of(attention, kernels.size())));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), outFeatures), new Shape(inputs[1].get(0))};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Linear k : kernels) {
            k.initialize(manager, dataType, new Shape(1, inFeatures));
        }
        mix.initialize(manager, dataType, new Shape(1, outFeatures));
    }

    /** Builder: input and output widths and the number of kernels. */
    public static final class Builder {
        private int inFeatures;
        private int outFeatures;
        private int kernels = 3;

        public Builder setInFeatures(int n) {
            inFeatures = n;
            return this;
        }

        public Builder setOutFeatures(int n) {
            outFeatures = n;
            return this;
        }

        public Builder optKernels(int k) {
            kernels = k;
            return this;
        }

        public MeaGraphLayer build() {
            if (inFeatures < 1 || outFeatures < 1 || kernels < 1) {
                throw new IllegalArgumentException(
                        "MEAGraph layer needs in/out features and kernels >= 1");
            }
            return new MeaGraphLayer(this);
        }
    }
}
