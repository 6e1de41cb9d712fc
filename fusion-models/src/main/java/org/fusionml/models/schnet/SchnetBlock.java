package org.fusionml.models.schnet;

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
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * SchNet: x_i <- Linear(atom features); each interaction computes continuous filters W(r_ij) =
 * Dense(ssp(Dense(rbf(r_ij)))) * f_cut(r_ij) with f_cut = (cos(pi r / r_c) + 1) / 2, messages (W_in
 * x_j) * W(r_ij) summed over neighbours j, then Dense(ssp(Dense(.))) added to x_i; readout
 * Dense(ssp(Dense(x_i))) averaged over atoms. ssp(x) = softplus(x) - ln 2. Input: {@link
 * GraphBatch#toNDList()} of a radius graph; output [B, outputs].
 */
public final class SchnetBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float LN2 = (float) Math.log(2);

    private final SchnetConfig config;
    private final RadialBasis basis;
    private final Linear embedding;
    private final List<Linear[]> layers = new ArrayList<>(); // filter1, filter2, in, out1, out2
    private final Linear readout1;
    private final Linear readout2;

    public SchnetBlock(SchnetConfig config) {
        super(VERSION);
        this.config = config;
        basis = new RadialBasis(0, config.cutoff(), config.gaussians());
        int f = config.features();
        embedding = addChildBlock("embedding", linear(f));
        for (int k = 0; k < config.interactions(); k++) {
            layers.add(
                    new Linear[] {
                        addChildBlock("interaction_" + k + "_filter1", linear(f)),
                        addChildBlock("interaction_" + k + "_filter2", linear(f)),
                        addChildBlock("interaction_" + k + "_in", linear(f)),
                        addChildBlock("interaction_" + k + "_out1", linear(f)),
                        addChildBlock("interaction_" + k + "_out2", linear(f)),
                    });
        }
        readout1 = addChildBlock("readout1", linear(f / 2));
        readout2 = addChildBlock("readout2", linear(config.outputs()));
    }

    private static Linear linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    private static NDArray ssp(NDArray x) {
        return Activation.softPlus(x).sub(LN2);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray x = Blocks.apply(embedding, ps, b.atomFeatures(), training);
        NDArray r = b.bondLengths();
        NDArray rbf = basis.expand(r);
        NDArray fcut =
                r.mul(Scalars.of(r, Math.PI / config.cutoff()))
                        .cos()
                        .add(1)
                        .mul(Scalars.of(r, 0.5))
                        .reshape(-1, 1);
        for (Linear[] l : layers) {
            NDArray w =
                    Blocks.apply(l[1], ps, ssp(Blocks.apply(l[0], ps, rbf, training)), training)
                            .mul(fcut);
            NDArray messages =
                    GraphOps.gather(Blocks.apply(l[2], ps, x, training), b.edgeSrc()).mul(w);
            NDArray v = GraphOps.scatter(b.edgeToAtom(), messages);
            x = x.add(Blocks.apply(l[4], ps, ssp(Blocks.apply(l[3], ps, v, training)), training));
        }
        NDArray atomwise =
                Blocks.apply(readout2, ps, ssp(Blocks.apply(readout1, ps, x, training)), training);
        return new NDList(GraphOps.scatter(b.atomToGraph(), atomwise));
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
        for (Linear[] l : layers) {
            l[0].initialize(manager, dataType, new Shape(1, config.gaussians()));
            for (int q = 1; q < 5; q++) {
                l[q].initialize(manager, dataType, new Shape(1, f));
            }
        }
        readout1.initialize(manager, dataType, new Shape(1, f));
        readout2.initialize(manager, dataType, new Shape(1, f / 2));
    }
}
