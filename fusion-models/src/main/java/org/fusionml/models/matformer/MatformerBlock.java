package org.fusionml.models.matformer;

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
import org.fusionml.models.layers.MatformerConv;
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;

/**
 * Matformer (Yan, Liu, Lin and Ji, "Periodic Graph Transformers for Crystal Material Property
 * Prediction", NeurIPS 2022), as in the paper's code ({@code Matformer}, JARVIS settings). With F =
 * {@code features}:
 *
 * <pre>
 *   h^0_i = W_x x_i + b_x                                  atoms [N, 92] -> [N, F]
 *   e_ij  = W_2 softplus(W_1 g(d_ij) + b_1) + b_2            bonds [E] -> [E, bins] -> [E, F]
 *   h^l   = MatformerConv_l(h^{l-1}, e)                     l = 1..L              [N, F]
 *   u_g   = mean over the atoms of graph g of h^L_i                               [B, F]
 *   y_g   = W_o SiLU(W_fc u_g + b_fc) + b_o                                       [B, outputs]
 * </pre>
 *
 * {@link MatformerConv} is the node-wise transformer layer (query of the destination atom; keys and
 * values from both atoms and the bond; gates sigmoid(LN(alpha)); layer norms on the messages; batch
 * norm, SiLU and a linear skip on the atoms). g(d)_k = exp(-(d - mu_k)^2 / Delta) with mu on [0,
 * cutoff] and Delta their spacing (Matformer's RBFExpansion). The bond features stay those of the
 * input layer in every layer, as in the paper.
 *
 * <p>The graph is the 12-nearest-neighbour graph within 8 Angstrom plus Matformer's self-connecting
 * edges: every atom has loops at the cell vectors +-a, +-b, +-c, +-(a + b), +-(a + c), +-(b + c)
 * ({@link org.fusionml.data.graph.LatticeLoops#CELL}), whose lengths, expanded like the bonds',
 * tell the layers the lattice's lengths and, through the sums, its angles. The model is invariant
 * to rotations, translations and atom order. It is not invariant to the choice of cell, by design:
 * a supercell has other loops (of 2a rather than a, ...), and so does another basis of the same
 * lattice, as in the paper's code, which takes the cell as given.
 *
 * <p>Where this differs from the paper's code: the k-NN graph is the framework's (whole tied
 * shells, symmetrised without duplicates), so a bond from an atom to one of its own images appears
 * once per direction (the code lists it twice), and a loop is kept even where such a bond already
 * joins the atom to the same image (the code merges the two); the code's optional lattice-angle
 * embedding ({@code angle_lattice}, off in the paper's runs) is not implemented.
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a k-NN graph with cell loops; output [B, outputs].
 */
public final class MatformerBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final MatformerConfig config;
    private final RadialBasis distances;
    private final Linear atomEmbedding;
    private final Perceptron edgeEmbedding;
    private final List<MatformerConv> layers = new ArrayList<>();
    private final Linear fc;
    private final Linear output;

    public MatformerBlock(MatformerConfig config) {
        super(VERSION);
        this.config = config;
        int f = config.features();
        distances = new RadialBasis(0, config.cutoff(), config.edgeBins());
        atomEmbedding = addChildBlock("atom_embedding", Linear.builder().setUnits(f).build());
        edgeEmbedding =
                addChildBlock(
                        "edge_embedding",
                        Perceptron.builder()
                                .setUnits(f, f)
                                .setActivation(Activation::softPlus)
                                .build());
        for (int l = 0; l < config.convLayers(); l++) {
            layers.add(
                    addChildBlock(
                            "conv_" + l,
                            MatformerConv.builder().setWidth(f).optHeads(config.heads()).build()));
        }
        fc = addChildBlock("fc", Linear.builder().setUnits(config.fcFeatures()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public MatformerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        NDArray e = Blocks.apply(edgeEmbedding, ps, distances.expand(b.bondLengths()), training);
        for (MatformerConv layer : layers) {
            h = layer.apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), h);
        NDArray hidden = Blocks.silu(Blocks.apply(fc, ps, pooled, training));
        return output.forward(ps, new NDList(hidden), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int f = config.features();
        Shape row = new Shape(1, f);
        atomEmbedding.initialize(manager, dataType, new Shape(1, AtomFeatures.SIZE));
        edgeEmbedding.initialize(manager, dataType, new Shape(1, config.edgeBins()));
        for (MatformerConv layer : layers) {
            layer.initialize(
                    manager, dataType, row, row, new Shape(1), new Shape(1), new Shape(1, 1));
        }
        fc.initialize(manager, dataType, row);
        output.initialize(manager, dataType, new Shape(1, config.fcFeatures()));
    }
}
