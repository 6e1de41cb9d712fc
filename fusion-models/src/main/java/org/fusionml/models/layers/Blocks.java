package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.fusionml.models.ops.ScriptedOps;

/** Small helpers shared by the architectures' blocks. */
public final class Blocks {
    private Blocks() {}

    /** Runs a single-input, single-output child block. */
    public static NDArray apply(Block block, ParameterStore ps, NDArray x, boolean training) {
        return block.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /**
     * SiLU, x * sigmoid(x), as libtorch's one {@code silu} operator ({@link ScriptedOps#silu}): one
     * pass over the array forward and one backward, where the product of two engine operations
     * takes two and four, and DJL's {@code Activation.swish(x, 1)} one more for beta = 1. On the
     * line graph (tens of thousands of rows per batch) each pass is several percent of a training
     * step.
     */
    public static NDArray silu(NDArray x) {
        return ScriptedOps.silu(x);
    }

    /**
     * The output shape [B, outputs] of a model reading a graph batch (B is the row count of the
     * atom-to-graph matrix, the batch's last array).
     */
    public static Shape[] graphOutputShape(Shape[] batchShapes, int outputs) {
        return new Shape[] {new Shape(batchShapes[batchShapes.length - 1].get(0), outputs)};
    }
}
