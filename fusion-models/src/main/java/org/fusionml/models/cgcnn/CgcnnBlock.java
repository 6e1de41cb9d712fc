package org.fusionml.models.cgcnn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.GraphOps.Part;

/**
 * CGCNN: v_i <- Linear(atom features); each convolution, for the bond j -> i with Gaussian distance
 * features u_ij, z = W [v_i, v_j, u_ij] + b (computed per atom and gathered, {@link
 * GraphOps#linearOfConcat}), BN, split into filter and core halves: v_i <- softplus(v_i + BN(sum_j
 * sigmoid(filter) * softplus(core))); mean pooling; Linear, softplus, Linear. Input: {@link
 * GraphBatch#toNDList()}; output [B, outputs].
 */
public final class CgcnnBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final CgcnnConfig config;
    private final RadialBasis distances;
    private final Linear embedding;
    private final List<Linear> convLinear = new ArrayList<>();
    private final List<BatchNorm> convNorm = new ArrayList<>();
    private final List<BatchNorm> sumNorm = new ArrayList<>();
    private final Linear hidden;
    private final Linear output;

    public CgcnnBlock(CgcnnConfig config) {
        super(VERSION);
        this.config = config;
        distances = new RadialBasis(0, config.cutoff(), config.gaussians());
        embedding =
                addChildBlock("embedding", Linear.builder().setUnits(config.features()).build());
        for (int k = 0; k < config.convLayers(); k++) {
            convLinear.add(
                    addChildBlock(
                            "conv_" + k + "_linear",
                            Linear.builder().setUnits(2L * config.features()).build()));
            convNorm.add(addChildBlock("conv_" + k + "_norm", BatchNorm.builder().build()));
            sumNorm.add(addChildBlock("conv_" + k + "_sum_norm", BatchNorm.builder().build()));
        }
        hidden = addChildBlock("hidden", Linear.builder().setUnits(config.hidden()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray v = Blocks.apply(embedding, ps, b.atomFeatures(), training);
        NDArray u = distances.expand(b.bondLengths());
        for (int k = 0; k < convLinear.size(); k++) {
            NDArray z =
                    Blocks.apply(
                            convNorm.get(k),
                            ps,
                            GraphOps.linearOfConcat(
                                    convLinear.get(k),
                                    ps,
                                    List.of(
                                            Part.gathered(v, b.edgeDst()),
                                            Part.gathered(v, b.edgeSrc()),
                                            Part.rows(u)),
                                    training),
                            training);
            NDList halves = z.split(2, 1);
            NDArray filter = Activation.sigmoid(halves.get(0));
            NDArray core = Activation.softPlus(halves.get(1));
            NDArray summed = GraphOps.scatter(b.edgeToAtom(), filter.mul(core));
            v = Activation.softPlus(v.add(Blocks.apply(sumNorm.get(k), ps, summed, training)));
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), v);
        NDArray h = Activation.softPlus(Blocks.apply(hidden, ps, pooled, training));
        return output.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int f = config.features();
        embedding.initialize(manager, dataType, new Shape(1, AtomFeatures.SIZE));
        for (int k = 0; k < convLinear.size(); k++) {
            convLinear
                    .get(k)
                    .initialize(manager, dataType, new Shape(1, 2L * f + config.gaussians()));
            convNorm.get(k).initialize(manager, dataType, new Shape(1, 2L * f));
            sumNorm.get(k).initialize(manager, dataType, new Shape(1, f));
        }
        hidden.initialize(manager, dataType, new Shape(1, f));
        output.initialize(manager, dataType, new Shape(1, config.hidden()));
    }
}
