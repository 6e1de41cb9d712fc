package org.fusionml.models.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;

/**
 * Initialisation of the models' linear layers.
 *
 * <p>DJL initialises a {@link Linear} weight with its Xavier default, Gaussian with variance 2 /
 * ((fan_in + fan_out) / 2), and the bias with zeros; for a 64 x 64 layer that is a standard
 * deviation of 0.177. PyTorch's {@code nn.Linear} (and so ALIGNN, CGCNN and SchNet as published)
 * draws weight and bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), a standard deviation of 0.072 for
 * the same layer: about 2.5 times smaller, which keeps the edge gates sigmoid(m) of ALIGNN's
 * convolutions out of saturation at the start. {@link #pytorch(Block)} gives every linear layer of
 * a block PyTorch's initialisation.
 */
public final class Initialization {
    private Initialization() {}

    /**
     * Sets PyTorch's {@code nn.Linear} initialisation on every {@link Linear} in {@code block}'s
     * tree: weight [out, in] and bias [out] from U(-1/sqrt(in), 1/sqrt(in)), drawn from the
     * engine's seeded generator when the block is initialised. Call before initialising the block.
     */
    public static void pytorch(Block block) {
        if (block instanceof Linear) {
            Parameter weight = block.getParameters().get("weight");
            Initializer uniform = new FanInUniform(weight);
            weight.setInitializer(uniform);
            if (block.getParameters().contains("bias")) {
                block.getParameters().get("bias").setInitializer(uniform);
            }
        }
        for (Block child : block.getChildren().values()) {
            pytorch(child);
        }
    }

    /**
     * U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in the input width of {@code weight}, read when
     * the parameter is initialised (the block has set the weight's shape [out, in] by then).
     */
    private record FanInUniform(Parameter weight) implements Initializer {
        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            Shape w = weight.getShape();
            if (w == null || w.dimension() != 2) {
                throw new IllegalStateException(
                        "linear weight " + weight.getName() + " has no [out, in] shape yet: " + w);
            }
            float bound = (float) (1.0 / Math.sqrt(w.get(1)));
            return manager.randomUniform(-bound, bound, shape, dataType);
        }
    }
}
