package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A stack of dense layers: h_0 = x, h_k = act(W_k h_{k-1} + b_k), the last layer activated or not
 * ({@link Builder#optActivateLast}). [R, in] to [R, units[last]]. MEGNet's feed-forward layers and
 * update functions phi_e, phi_v, phi_u, and GATGNN's global-attention network are such stacks.
 */
public final class Perceptron extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int[] units;
    private final UnaryOperator<NDArray> activation;
    private final boolean activateLast;
    private final List<Linear> layers = new ArrayList<>();

    private Perceptron(Builder b) {
        super(VERSION);
        units = b.units.clone();
        activation = b.activation;
        activateLast = b.activateLast;
        for (int k = 0; k < units.length; k++) {
            layers.add(addChildBlock("dense_" + k, Linear.builder().setUnits(units[k]).build()));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        for (int k = 0; k < layers.size(); k++) {
            h = Blocks.apply(layers.get(k), ps, h, training);
            if (k < layers.size() - 1 || activateLast) {
                h = activation.apply(h);
            }
        }
        return new NDList(h);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), units[units.length - 1])};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        long in = inputShapes[0].get(1);
        for (int k = 0; k < layers.size(); k++) {
            layers.get(k).initialize(manager, dataType, new Shape(1, in));
            in = units[k];
        }
    }

    /** Builds a {@link Perceptron}. */
    public static final class Builder {
        private int[] units = new int[0];
        private UnaryOperator<NDArray> activation;
        private boolean activateLast;

        /** The widths of the layers, first to last. */
        public Builder setUnits(int... units) {
            this.units = units.clone();
            return this;
        }

        /** The activation between layers (and after the last with {@link #optActivateLast}). */
        public Builder setActivation(UnaryOperator<NDArray> activation) {
            this.activation = activation;
            return this;
        }

        /** Whether the last layer is activated too (default false: a linear output). */
        public Builder optActivateLast(boolean activateLast) {
            this.activateLast = activateLast;
            return this;
        }

        public Perceptron build() {
            if (units.length == 0) {
                throw new IllegalArgumentException("a perceptron needs at least one layer");
            }
            for (int u : units) {
                if (u <= 0) {
                    throw new IllegalArgumentException("units (" + u + ") must be > 0");
                }
            }
            if (activation == null) {
                throw new IllegalArgumentException("a perceptron needs an activation");
            }
            return new Perceptron(this);
        }
    }
}
