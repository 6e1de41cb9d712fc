package org.fusionml.models.ecomformer;

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
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * eComFormer, the equivariant ComFormer (Yan, Fu, Qian and Ji, "Complete and Efficient Graph
 * Transformers for Crystal Material Property Prediction", ICLR 2024), as in the paper's code
 * ({@code eComformer}, JARVIS settings). With F = {@code features} and r_ij the vector of bond j ->
 * i (lattice loops included, whose vectors are the shortest lattice vectors +-v_k):
 *
 * <pre>
 *   h^0_i  = W_x x_i + b_x                                    atoms [N, 92] -> [N, F]
 *   e_ij   = softplus(W_r g(-c / |r_ij|) + b_r)                [E, F]
 *   h^1    = ComformerConv_1(h^0, e)                           node-wise, invariant   [N, F]
 *   h^1'   = EquivariantUpdate(h^1, e, r)                      spherical harmonics Y_l(r_ij),
 *                                                              l = 0..2, and tensor products [N, F]
 *   h^l    = ComformerConv_l(h^{l-1}, e)   l = 2..L                                 [N, F]
 *   y_g    = W_o SiLU(W_fc mean_{i in g} h^L_i + b_fc) + b_o                        [B, outputs]
 * </pre>
 *
 * g expands -c / d (c = 0.75 Angstrom) on Gaussians centred over [-4, 0] with the width of their
 * spacing, as iComFormer ({@link org.fusionml.models.icomformer.IcomformerBlock}); {@link
 * ComformerConv} is iComFormer's node-wise layer and {@link EquivariantUpdate} the equivariant one,
 * in which the atoms' scalar features are coupled with the spherical harmonics of the bond vectors
 * to features of degrees 0, 1 and 2 (which turn with the structure) and back to scalars. Where
 * iComFormer sees the lattice through the bonds' angles with the lattice vectors, eComFormer sees
 * it through the lattice loops' vectors, equivariantly.
 *
 * <p>The output is invariant to rotations, translations and atom order, and to the basis a file
 * uses for a cell (the loops follow the shortest basis, whose sign does not matter here since +v_k
 * and -v_k are both loops); not to supercells, by design, as iComFormer. Where this differs from
 * the paper's code: the k-NN graph is the framework's (see {@link
 * org.fusionml.models.matformer.MatformerBlock}), messages are averaged into the bond's destination
 * (the code gathers at the destination and averages into the source, the same on the symmetric
 * graph up to the sign of r, which the even harmonics and the parity-keeping paths do not see in
 * the output), and the tensor products are normalised by 1 / sqrt(fan-in) instead of e3nn's
 * normalisation constants.
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a k-NN graph with shortest-basis loops; output [B,
 * outputs].
 */
public final class EcomformerBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    /** c of the inverse-length feature -c / d, Angstrom (the paper's 0.75). */
    static final double INVERSE_SCALE = 0.75;

    /** Lowest centre of the inverse-length expansion (the paper's -4). */
    static final double INVERSE_MIN = -4;

    private final EcomformerConfig config;
    private final RadialBasis inverseLengths;
    private final Linear atomEmbedding;
    private final Perceptron lengthEmbedding;
    private final List<ComformerConv> layers = new ArrayList<>();
    private final EquivariantUpdate equivariant;
    private final Linear fc;
    private final Linear output;

    public EcomformerBlock(EcomformerConfig config) {
        super(VERSION);
        this.config = config;
        int f = config.features();
        inverseLengths = new RadialBasis(INVERSE_MIN, 0, config.edgeBins());
        atomEmbedding = addChildBlock("atom_embedding", Linear.builder().setUnits(f).build());
        lengthEmbedding =
                addChildBlock(
                        "length_embedding",
                        Perceptron.builder()
                                .setUnits(f)
                                .setActivation(Activation::softPlus)
                                .optActivateLast(true)
                                .build());
        for (int l = 0; l < config.convLayers(); l++) {
            layers.add(
                    addChildBlock(
                            "conv_" + l,
                            ComformerConv.builder().setWidth(f).optHeads(config.heads()).build()));
        }
        equivariant =
                addChildBlock(
                        "equivariant",
                        new EquivariantUpdate(f, config.scalars(), config.vectors()));
        fc = addChildBlock("fc", Linear.builder().setUnits(config.fcFeatures()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public EcomformerConfig config() {
        return config;
    }

    /** The equivariant update (for the tests of its internal features). */
    public EquivariantUpdate equivariantUpdate() {
        return equivariant;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        NDArray e = edgeFeatures(ps, b, training);
        for (int k = 0; k < layers.size(); k++) {
            h = layers.get(k).apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
            if (k == 0) {
                h =
                        equivariant.apply(
                                ps, h, e, b.bondVectors(), b.edgeSrc(), b.edgeToAtom(), training);
            }
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), h);
        NDArray hidden = Blocks.silu(Blocks.apply(fc, ps, pooled, training));
        return output.forward(ps, new NDList(hidden), training);
    }

    /**
     * The atoms' features entering the equivariant update, h^1 [N, F], and the bonds' e [E, F] (for
     * the tests of its internal features).
     */
    public NDList beforeEquivariantUpdate(ParameterStore ps, NDList inputs) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), false);
        NDArray e = edgeFeatures(ps, b, false);
        h = layers.get(0).apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), false);
        return new NDList(h, e);
    }

    /** softplus(W_r g(-c / d) + b_r) of the bond lengths: [E, F]. */
    private NDArray edgeFeatures(ParameterStore ps, GraphBatch b, boolean training) {
        NDArray d = b.bondLengths();
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
        for (ComformerConv layer : layers) {
            layer.initialize(
                    manager, dataType, row, row, new Shape(1), new Shape(1), new Shape(1, 1));
        }
        equivariant.initialize(
                manager, dataType, row, row, new Shape(1, 3), new Shape(1), new Shape(1, 1));
        fc.initialize(manager, dataType, row);
        output.initialize(manager, dataType, new Shape(1, config.fcFeatures()));
    }
}
