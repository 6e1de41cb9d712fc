package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.ops.Scalars;

/**
 * Differentiable group normalisation (DGN; Zhou et al., "Towards Deeper Graph Neural Networks with
 * Differentiable Group Normalization", NeurIPS 2020), the normalisation that lets DeeperGATGNN
 * train at depth. Nodes are softly assigned to G groups, each group is batch-normalised on its own,
 * and a small multiple of the result is added back:
 *
 * <pre>
 *   S      = softmax_g(H W)                       [N, G], W [F, G] without bias
 *   Z_g    = BN_g(S[:, g] * H)                    [N, F] per group, statistics over the nodes
 *   H'     = H + lambda sum_g Z_g                 [N, F]
 * </pre>
 *
 * The G batch norms are one BatchNorm over the [N, G F] concatenation (its running statistics in
 * inference). Input and output [N, F].
 */
public final class DiffGroupNorm extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int features;
    private final int groups;
    private final double lambda;
    private final Linear assignment;
    private final BatchNorm norm;

    private DiffGroupNorm(Builder b) {
        super(VERSION);
        features = b.features;
        groups = b.groups;
        lambda = b.lambda;
        assignment =
                addChildBlock(
                        "assignment", Linear.builder().setUnits(groups).optBias(false).build());
        norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        long n = h.getShape().get(0);
        NDArray s = Blocks.apply(assignment, ps, h, training).softmax(1);
        NDArray grouped = s.reshape(n, groups, 1).mul(h.reshape(n, 1, features));
        NDArray z =
                Blocks.apply(norm, ps, grouped.reshape(n, (long) groups * features), training)
                        .reshape(n, groups, features)
                        .sum(new int[] {1});
        return new NDList(h.add(z.mul(Scalars.of(z, lambda))));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        assignment.initialize(manager, dataType, new Shape(1, features));
        norm.initialize(manager, dataType, new Shape(1, (long) groups * features));
    }

    /** Builds a {@link DiffGroupNorm}. */
    public static final class Builder {
        private int features;
        private int groups = 10;
        private double lambda = 0.01;

        /** Feature width F. */
        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        /** Groups G (default 10, as DeeperGATGNN). */
        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** Weight lambda of the normalised groups (default 0.01, as DGN and DeeperGATGNN). */
        public Builder optLambda(double lambda) {
            this.lambda = lambda;
            return this;
        }

        public DiffGroupNorm build() {
            if (features <= 0) {
                throw new IllegalArgumentException("features (" + features + ") must be > 0");
            }
            if (groups <= 0) {
                throw new IllegalArgumentException("groups (" + groups + ") must be > 0");
            }
            if (!(lambda >= 0) || !Double.isFinite(lambda)) {
                throw new IllegalArgumentException("lambda (" + lambda + ") must be >= 0");
            }
            return new DiffGroupNorm(this);
        }
    }
}
