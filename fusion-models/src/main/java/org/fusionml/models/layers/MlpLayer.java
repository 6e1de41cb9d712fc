package org.fusionml.models.layers;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** ALIGNN's MLP layer: SiLU(BatchNorm(W x + b)), [R, in] to [R, out]. */
public final class MlpLayer extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int outputs;
    private final Linear linear;
    private final BatchNorm norm;

    private MlpLayer(Builder b) {
        super(VERSION);
        this.outputs = b.outputs;
        this.linear = addChildBlock("linear", Linear.builder().setUnits(outputs).build());
        this.norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList x = norm.forward(ps, linear.forward(ps, inputs, training), training);
        return new NDList(Blocks.silu(x.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), outputs)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        linear.initialize(manager, dataType, inputShapes[0]);
        norm.initialize(manager, dataType, new Shape(inputShapes[0].get(0), outputs));
    }

    /** Builds an {@link MlpLayer}. */
    public static final class Builder {
        private int outputs;

        public Builder setOutputs(int outputs) {
            this.outputs = outputs;
            return this;
        }

        public MlpLayer build() {
            if (outputs <= 0) {
                throw new IllegalArgumentException("outputs (" + outputs + ") must be > 0");
            }
            return new MlpLayer(this);
        }
    }
}
