package org.fusionml.models.alignn;

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
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.EdgeGatedGraphConv;
import org.fusionml.models.layers.MlpLayer;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;

/**
 * ALIGNN: atoms (92 one-hot features) -> MLP; bonds -> RBF(80 on [0, cutoff]) -> MLP -> MLP; angle
 * cosines -> RBF(40 on [-1, 1]) -> MLP -> MLP; then each ALIGNN layer runs an edge-gated
 * convolution on the atom graph (atoms, bonds) and one on the line graph (bonds, angles); GCN
 * layers run the atom-graph convolution only; the mean over each structure's atoms goes through a
 * linear layer.
 *
 * <p>Input: {@link GraphBatch#toNDList()}. Output: [B, outputs].
 */
public final class AlignnBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final AlignnConfig config;
    private final RadialBasis bondBasis;
    private final RadialBasis angleBasis;
    private final MlpLayer atomEmbedding;
    private final MlpLayer bondEmbedding;
    private final MlpLayer bondProjection;
    private final MlpLayer angleEmbedding;
    private final MlpLayer angleProjection;
    private final List<EdgeGatedGraphConv> atomConvs = new ArrayList<>();
    private final List<EdgeGatedGraphConv> lineConvs = new ArrayList<>();
    private final List<EdgeGatedGraphConv> gcnConvs = new ArrayList<>();
    private final Linear output;

    public AlignnBlock(AlignnConfig config) {
        super(VERSION);
        this.config = config;
        bondBasis = new RadialBasis(0, config.cutoff(), config.edgeBins());
        angleBasis = new RadialBasis(-1, 1, config.angleBins());
        atomEmbedding =
                addChildBlock(
                        "atom_embedding", MlpLayer.builder().setOutputs(config.hidden()).build());
        bondEmbedding =
                addChildBlock(
                        "bond_embedding",
                        MlpLayer.builder().setOutputs(config.embedding()).build());
        bondProjection =
                addChildBlock(
                        "bond_projection", MlpLayer.builder().setOutputs(config.hidden()).build());
        angleEmbedding =
                addChildBlock(
                        "angle_embedding",
                        MlpLayer.builder().setOutputs(config.embedding()).build());
        angleProjection =
                addChildBlock(
                        "angle_projection", MlpLayer.builder().setOutputs(config.hidden()).build());
        // Outputs nothing reads are not computed: the last line-graph layer's angle features, the
        // last GCN layer's bond features (see EdgeGatedGraphConv.Builder#setEdgeOutput).
        for (int k = 0; k < config.alignnLayers(); k++) {
            boolean last = k == config.alignnLayers() - 1;
            atomConvs.add(addChildBlock("alignn_" + k + "_atoms", conv(config.hidden(), true)));
            lineConvs.add(addChildBlock("alignn_" + k + "_bonds", conv(config.hidden(), !last)));
        }
        for (int k = 0; k < config.gcnLayers(); k++) {
            boolean last = k == config.gcnLayers() - 1;
            gcnConvs.add(addChildBlock("gcn_" + k, conv(config.hidden(), !last)));
        }
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    private static EdgeGatedGraphConv conv(int features, boolean edgeOutput) {
        return EdgeGatedGraphConv.builder().setFeatures(features).setEdgeOutput(edgeOutput).build();
    }

    public AlignnConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        NDArray e =
                Blocks.apply(
                        bondProjection,
                        ps,
                        Blocks.apply(
                                bondEmbedding, ps, bondBasis.expand(b.bondLengths()), training),
                        training);
        NDArray t =
                Blocks.apply(
                        angleProjection,
                        ps,
                        Blocks.apply(
                                angleEmbedding, ps, angleBasis.expand(b.angleCosines()), training),
                        training);
        for (int k = 0; k < atomConvs.size(); k++) {
            NDList atoms =
                    atomConvs
                            .get(k)
                            .apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
            h = atoms.get(0);
            if (k == atomConvs.size() - 1 && gcnConvs.isEmpty()) {
                break; // no GCN layer reads this layer's bond features
            }
            NDList bonds =
                    lineConvs
                            .get(k)
                            .apply(
                                    ps,
                                    atoms.get(1),
                                    t,
                                    b.tripletIn(),
                                    b.tripletOut(),
                                    b.tripletToEdge(),
                                    training);
            e = bonds.get(0);
            t = lineConvs.get(k).edgeOutput() ? bonds.get(1) : null;
        }
        for (EdgeGatedGraphConv c : gcnConvs) {
            NDList atoms = c.apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
            h = atoms.get(0);
            e = c.edgeOutput() ? atoms.get(1) : null;
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), h);
        return output.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        atomEmbedding.initialize(manager, dataType, new Shape(1, AtomFeatures.SIZE));
        bondEmbedding.initialize(manager, dataType, new Shape(1, config.edgeBins()));
        bondProjection.initialize(manager, dataType, new Shape(1, config.embedding()));
        angleEmbedding.initialize(manager, dataType, new Shape(1, config.angleBins()));
        angleProjection.initialize(manager, dataType, new Shape(1, config.embedding()));
        Shape hidden = new Shape(1, config.hidden());
        for (EdgeGatedGraphConv c : atomConvs) {
            c.initialize(manager, dataType, hidden, hidden);
        }
        for (EdgeGatedGraphConv c : lineConvs) {
            c.initialize(manager, dataType, hidden, hidden);
        }
        for (EdgeGatedGraphConv c : gcnConvs) {
            c.initialize(manager, dataType, hidden, hidden);
        }
        output.initialize(manager, dataType, hidden);
    }
}
