package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.ops.Segments;

/**
 * Set2set readout (Vinyals, Bengio and Kudlur, "Order Matters: Sequence to sequence for sets", ICLR
 * 2016) in MEGNet's form (Chen et al., Chem. Mater. 31, 3564, 2019): the rows of each segment are
 * first projected to the memory m_r = W_m x_r + b_m [R, n], then for t = 1..T
 *
 * <pre>
 *   (q_t, c_t) = LSTM(q*_{t-1}, c_{t-1})         q*_0 = 0 [S, 2n], c_0 = 0 [S, n]
 *   e_r        = m_r . q_t(seg(r))                [R]
 *   a_r        = softmax of e over seg(r)          [R]
 *   r_t        = sum_{r in seg} a_r m_r            [S, n]
 *   q*_t       = [q_t, r_t]                        [S, 2n]
 * </pre>
 *
 * The LSTM reads q*_{t-1}, which holds the previous hidden state q_{t-1}, through one linear map
 * [2n] to [4n] (input, forget, cell and output gates; sigmoid, sigmoid, tanh, sigmoid), as MEGNet's
 * implementation does; the cell state c is carried from step to step. The output is q*_T [S, 2n],
 * invariant to the order of the rows and, since the weights of a segment sum to 1, to repeating its
 * rows (a supercell).
 *
 * <p>Input: x [R, F] followed by the {@link Segments#toNDList()} of the rows; output [S, 2n].
 */
public final class Set2Set extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int hidden;
    private final int steps;
    private final Linear memory;
    private final Linear lstm;

    private Set2Set(Builder b) {
        super(VERSION);
        hidden = b.hidden;
        steps = b.steps;
        memory = addChildBlock("memory", Linear.builder().setUnits(hidden).build());
        lstm = addChildBlock("lstm", Linear.builder().setUnits(4L * hidden).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: the [S, 2n] summary of the rows {@code x} [R, F]. */
    public NDArray apply(ParameterStore ps, NDArray x, Segments segments, boolean training) {
        NDList in = new NDList(x);
        in.addAll(segments.toNDList());
        return forward(ps, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        Segments seg = Segments.fromNDList(inputs, 1);
        NDArray m = Blocks.apply(memory, ps, x, training);
        long s = seg.numSegments();
        NDManager manager = x.getManager();
        NDArray qStar = manager.zeros(new Shape(s, 2L * hidden), x.getDataType());
        NDArray c = manager.zeros(new Shape(s, hidden), x.getDataType());
        for (int t = 0; t < steps; t++) {
            NDArray z = Blocks.apply(lstm, ps, qStar, training);
            NDArray in = Activation.sigmoid(z.get(":, :" + hidden));
            NDArray forget = Activation.sigmoid(z.get(":, " + hidden + ":" + 2 * hidden));
            NDArray cell = Activation.tanh(z.get(":, " + 2 * hidden + ":" + 3 * hidden));
            NDArray out = Activation.sigmoid(z.get(":, " + 3 * hidden + ":"));
            c = forget.mul(c).add(in.mul(cell));
            NDArray q = out.mul(Activation.tanh(c));
            NDArray e = m.mul(seg.broadcast(q)).sum(new int[] {1});
            NDArray a = seg.softmax(e);
            NDArray r = seg.sum(m.mul(a.reshape(-1, 1)));
            qStar = q.concat(r, 1);
        }
        return new NDList(qStar);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[2].get(0), 2L * hidden)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        memory.initialize(manager, dataType, new Shape(1, inputShapes[0].get(1)));
        lstm.initialize(manager, dataType, new Shape(1, 2L * hidden));
    }

    /** Builds a {@link Set2Set}. */
    public static final class Builder {
        private int hidden;
        private int steps = 3;

        /** Memory and LSTM width n (the output is 2n wide). */
        public Builder setHidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Processing steps T (default 3, MEGNet's npass). */
        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Set2Set build() {
            if (hidden <= 0) {
                throw new IllegalArgumentException("hidden (" + hidden + ") must be > 0");
            }
            if (steps <= 0) {
                throw new IllegalArgumentException("steps (" + steps + ") must be > 0");
            }
            return new Set2Set(this);
        }
    }
}
