package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.layers.Blocks;

/**
 * Equiformer's radial network ({@code RadialProfile}): the per-bond weights of a tensor product
 * from the bond's invariant features g [E, B],
 *
 * <pre>
 *   w = W_3 SiLU(LN(W_2 SiLU(LN(W_1 g + b_1)) + b_2)) + b_3        [E, weights]
 * </pre>
 *
 * with LN a layer norm over the features (affine). The paper's code initialises W_3 with per-path
 * fan-in factors; here W_3 has the framework's initialisation.
 */
final class RadialProfile extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final Linear first;
    private final LayerNorm firstNorm;
    private final Linear second;
    private final LayerNorm secondNorm;
    private final Linear last;

    RadialProfile(int width, int weights) {
        super(VERSION);
        this.width = width;
        first = addChildBlock("first", Linear.builder().setUnits(width).build());
        firstNorm = addChildBlock("first_norm", LayerNorm.builder().build());
        second = addChildBlock("second", Linear.builder().setUnits(width).build());
        secondNorm = addChildBlock("second_norm", LayerNorm.builder().build());
        last = addChildBlock("last", Linear.builder().setUnits(weights).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = Blocks.apply(first, ps, inputs.singletonOrThrow(), training);
        h = Blocks.silu(Blocks.apply(firstNorm, ps, h, training));
        h = Blocks.apply(second, ps, h, training);
        h = Blocks.silu(Blocks.apply(secondNorm, ps, h, training));
        return last.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return last.getOutputShapes(new Shape[] {new Shape(inputs[0].get(0), width)});
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, width);
        first.initialize(manager, dataType, inputShapes[0]);
        firstNorm.initialize(manager, dataType, row);
        second.initialize(manager, dataType, row);
        secondNorm.initialize(manager, dataType, row);
        last.initialize(manager, dataType, row);
    }
}
