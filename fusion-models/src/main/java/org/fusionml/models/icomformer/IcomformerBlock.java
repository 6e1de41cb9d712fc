package org.fusionml.models.icomformer;

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
import org.fusionml.models.layers.ComformerConv;
import org.fusionml.models.layers.ComformerEdgeConv;
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * iComFormer, the invariant ComFormer (Yan, Fu, Qian and Ji, "Complete and Efficient Graph
 * Transformers for Crystal Material Property Prediction", ICLR 2024), as in the paper's code
 * ({@code iComformer}, JARVIS settings). With F = {@code features}, v_1, v_2, v_3 the crystal's
 * shortest lattice basis ({@link org.fusionml.data.graph.ShortestBasis}) and r_ij the vector of
 * bond j -> i:
 *
 * <pre>
 *   h^0_i  = W_x x_i + b_x                                    atoms [N, 92] -> [N, F]
 *   rbf(d) = softplus(W_r g(-c / d) + b_r)                    shared by bonds and lattice lengths
 *   e_ij   = rbf(|r_ij|)                                       [E, F]
 *   l_k    = rbf(|v_k|)                                        [B, 3, F]
 *   a_ijk  = softplus(W_a g'(cos(r_ij, v_k)) + b_a)            [E, 3, F]
 *   h^1    = ComformerConv_1(h^0, e)                           node-wise            [N, F]
 *   e      = ComformerEdgeConv(e, l, a)                        edge-wise            [E, F]
 *   h^l    = ComformerConv_l(h^{l-1}, e)   l = 2..L                                 [N, F]
 *   y_g    = W_o SiLU(W_fc mean_{i in g} h^L_i + b_fc) + b_o                        [B, outputs]
 * </pre>
 *
 * g expands -c / d (c = {@value #INVERSE_SCALE} Angstrom) on Gaussians centred over [{@value
 * #INVERSE_MIN}, 0] and g' the cosines over [-1, 1], both with the width of their centre spacing
 * (the paper's values). {@link ComformerConv} is the node-wise layer, {@link ComformerEdgeConv} the
 * edge-wise one through which each bond sees the lattice: the lengths |v_k| and the angles of the
 * bond with v_k (the paper's invariant lattice representation of an edge).
 *
 * <p>The graph is the k-nearest-neighbour graph (25 within 4 Angstrom by default, the cutoff of a
 * structure growing while one of its atoms has fewer) plus ComFormer's self-connecting edges at
 * +-v_1, +-v_2, +-v_3 ({@link org.fusionml.data.graph.LatticeLoops#SHORTEST_BASIS}). The model is
 * invariant to rotations, translations and atom order and, since the basis is the lattice's
 * shortest, to the basis a file uses for a cell (unless shortest vectors tie in length: the tie is
 * broken by their coefficients in the file's basis, and another basis may pick another of the tied
 * vectors); it is not invariant to supercells, by design: a supercell is a different lattice with
 * other loops and other |v_k|.
 *
 * <p>Where this differs from the paper's code: ties between lattice vectors of equal length are
 * broken by their integer coefficients (the code takes the neighbour-list order) and angles within
 * 1e-9 of a right angle are not flipped, so the choice does not hang on round-off; the k-NN graph
 * is the framework's (whole tied shells, symmetrised without duplicates; see {@link
 * org.fusionml.models.matformer.MatformerBlock} for what that changes).
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a k-NN graph with shortest-basis loops; output [B,
 * outputs].
 */
public final class IcomformerBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    /** c of the inverse-length feature -c / d, Angstrom (the paper's 0.75). */
    static final double INVERSE_SCALE = 0.75;

    /** Lowest centre of the inverse-length expansion (the paper's -4: d = 0.1875 Angstrom). */
    static final double INVERSE_MIN = -4;

    private final IcomformerConfig config;
    private final RadialBasis inverseLengths;
    private final RadialBasis cosines;
    private final Linear atomEmbedding;
    private final Perceptron lengthEmbedding;
    private final Perceptron angleEmbedding;
    private final List<ComformerConv> layers = new ArrayList<>();
    private final ComformerEdgeConv edgeLayer;
    private final Linear fc;
    private final Linear output;

    public IcomformerBlock(IcomformerConfig config) {
        super(VERSION);
        this.config = config;
        int f = config.features();
        inverseLengths = new RadialBasis(INVERSE_MIN, 0, config.edgeBins());
        cosines = new RadialBasis(-1, 1, config.angleBins());
        atomEmbedding = addChildBlock("atom_embedding", Linear.builder().setUnits(f).build());
        lengthEmbedding = addChildBlock("length_embedding", softplusLayer(f));
        angleEmbedding = addChildBlock("angle_embedding", softplusLayer(f));
        for (int l = 0; l < config.convLayers(); l++) {
            layers.add(
                    addChildBlock(
                            "conv_" + l,
                            ComformerConv.builder().setWidth(f).optHeads(config.heads()).build()));
        }
        edgeLayer =
                addChildBlock(
                        "edge_conv",
                        ComformerEdgeConv.builder().setWidth(f).optHeads(config.heads()).build());
        fc = addChildBlock("fc", Linear.builder().setUnits(config.fcFeatures()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    private static Perceptron softplusLayer(int width) {
        return Perceptron.builder()
                .setUnits(width)
                .setActivation(Activation::softPlus)
                .optActivateLast(true)
                .build();
    }

    public IcomformerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDManager manager = b.atomFeatures().getManager();
        int[] graphOfAtom = b.graphOfAtom();
        int[] dst = b.edgeDestinations();
        int[] graphOfBond = new int[dst.length];
        for (int k = 0; k < dst.length; k++) {
            graphOfBond[k] = graphOfAtom[dst[k]];
        }
        NDArray graphOfEdge = GraphOps.index(manager, graphOfBond);
        int f = config.features();
        long graphs = b.numGraphs();

        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        NDArray e = lengths(ps, b.bondLengths(), training);
        NDArray l = lengths(ps, b.latticeLengths().reshape(-1), training).reshape(graphs, 3L * f);
        NDArray a =
                Blocks.apply(
                        angleEmbedding,
                        ps,
                        cosines.expand(b.edgeLatticeCosines().reshape(-1)),
                        training);
        for (int k = 0; k < layers.size(); k++) {
            h = layers.get(k).apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
            if (k == 0) {
                e = edgeLayer.apply(ps, e, l, graphOfEdge, a, training);
            }
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), h);
        NDArray hidden = Blocks.silu(Blocks.apply(fc, ps, pooled, training));
        return output.forward(ps, new NDList(hidden), training);
    }

    /** softplus(W_r g(-c / d) + b_r) for lengths d [R], Angstrom: [R, F]. */
    private NDArray lengths(ParameterStore ps, NDArray d, boolean training) {
        NDArray inverse = Scalars.of(d, -INVERSE_SCALE).div(d);
        return Blocks.apply(lengthEmbedding, ps, inverseLengths.expand(inverse), training);
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
        lengthEmbedding.initialize(manager, dataType, new Shape(1, config.edgeBins()));
        angleEmbedding.initialize(manager, dataType, new Shape(1, config.angleBins()));
        for (ComformerConv layer : layers) {
            layer.initialize(
                    manager, dataType, row, row, new Shape(1), new Shape(1), new Shape(1, 1));
        }
        edgeLayer.initialize(
                manager, dataType, row, new Shape(1, 3L * f), new Shape(1), new Shape(3, f));
        fc.initialize(manager, dataType, row);
        output.initialize(manager, dataType, new Shape(1, config.fcFeatures()));
    }
}
