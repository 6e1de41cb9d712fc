package org.fusionml.models.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fusionml.models.alignn.AlignnBlock;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.batch.GraphBatchShapes;
import org.fusionml.models.cgcnn.CgcnnBlock;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.junit.jupiter.api.Test;

class InitializationTest {
    private static void linears(Block b, List<Linear> out) {
        if (b instanceof Linear l) {
            out.add(l);
        }
        b.getChildren().values().forEach(c -> linears(c, out));
    }

    /**
     * Every weight [out, in] and bias of every linear layer lies in [-1/sqrt(in), 1/sqrt(in)] with
     * the uniform distribution's standard deviation 1/sqrt(3 in) (PyTorch's nn.Linear), and the
     * same seed gives the same draw.
     */
    private static void checkPytorchInit(Block block) {
        List<Linear> layers = new ArrayList<>();
        linears(block, layers);
        assertTrue(layers.size() >= 4, "linear layers: " + layers.size());
        for (Linear l : layers) {
            Parameter w = l.getParameters().get("weight");
            long fanIn = w.getShape().get(1);
            double bound = 1 / Math.sqrt(fanIn);
            for (Parameter p : List.of(w, l.getParameters().get("bias"))) {
                float[] v = p.getArray().toFloatArray();
                double ss = 0;
                for (float x : v) {
                    assertTrue(
                            Math.abs(x) <= bound * (1 + 1e-6),
                            p.getName() + ": " + x + " outside +-" + bound);
                    ss += x * x;
                }
                if (v.length >= 1024) {
                    assertEquals(
                            bound / Math.sqrt(3),
                            Math.sqrt(ss / v.length),
                            0.06 * bound / Math.sqrt(3),
                            p.getName() + " std");
                }
            }
        }
    }

    @Test
    void alignnLinearLayersGetPytorchsInitialisation() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            AlignnBlock a = new AlignnBlock(AlignnConfig.small());
            Initialization.pytorch(a);
            a.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            checkPytorchInit(a);
            Engine.getInstance().setRandomSeed(3);
            AlignnBlock b = new AlignnBlock(AlignnConfig.small());
            Initialization.pytorch(b);
            b.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            float[] first = a.getParameters().get(0).getValue().getArray().toFloatArray();
            float[] again = b.getParameters().get(0).getValue().getArray().toFloatArray();
            assertEquals(Arrays.toString(first), Arrays.toString(again));
        }
    }

    @Test
    void cgcnnLinearLayersGetPytorchsInitialisation() {
        try (NDManager m = NDManager.newBaseManager()) {
            CgcnnBlock c = new CgcnnBlock(CgcnnConfig.defaults().withHead("regression"));
            Initialization.pytorch(c);
            c.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            checkPytorchInit(c);
        }
    }

    /**
     * Without it, DJL's Xavier default: weights of a 64 x 64 layer have std sqrt(2 / 64) = 0.177,
     * biases 0.
     */
    @Test
    void withoutItDjlsXavierDefaultStays() {
        try (NDManager m = NDManager.newBaseManager()) {
            AlignnBlock a = new AlignnBlock(AlignnConfig.small());
            a.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
            List<Linear> layers = new ArrayList<>();
            linears(a, layers);
            Linear square =
                    layers.stream()
                            .filter(
                                    l ->
                                            l.getParameters()
                                                    .get("weight")
                                                    .getShape()
                                                    .equals(new Shape(64, 64)))
                            .findFirst()
                            .orElseThrow();
            float[] w = square.getParameters().get("weight").getArray().toFloatArray();
            double ss = 0;
            for (float x : w) {
                ss += x * x;
            }
            assertEquals(Math.sqrt(2.0 / 64), Math.sqrt(ss / w.length), 0.06 * Math.sqrt(2.0 / 64));
            for (float x : square.getParameters().get("bias").getArray().toFloatArray()) {
                assertEquals(0f, x);
            }
        }
    }
}
