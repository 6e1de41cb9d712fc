package org.fusionml.models.potnet;

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
import org.fusionml.data.graph.PeriodicPotentials;
import org.fusionml.models.batch.GraphBatch;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.PotNetConv;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * PotNet (Lin, Yan, Wang, Fu and Ji, "Efficient Approximations of Complete Interatomic Potentials
 * for Crystal Property Prediction", ICML 2023). With F = {@code features}, d_ij the length of bond
 * j -> i and C, L, P the sums over all lattice translations of the Coulomb (1/r), London (1/r^6)
 * and Pauli (e^{-3 r}) potentials of the atom pair (i, j) ({@link PeriodicPotentials}):
 *
 * <pre>
 *   h^0_i  = W_x x_i + b_x                                          atoms [N, 92] -> [N, F]
 *   e_ij   = SiLU(W_e g(-0.75 / d_ij) + b_e)                  bonds (k-NN graph)     [E_b, F]
 *   p_ij   = {@value #COULOMB_WEIGHT} C + {@value #LONDON_WEIGHT} L + {@value #PAULI_WEIGHT} P      infinite edges  [E_inf]
 *   e_ij   = BN(softplus(W_p g'(p_ij) + b_p))                 infinite edges         [E_inf, F]
 *   h^l    = PotNetConv_l(h^{l-1}, e)   l = 1..L   over bonds and infinite edges     [N, F]
 *   y_g    = W_o ssp(W_fc mean_{i in g} h^L_i + b_fc) + b_o                          [B, outputs]
 * </pre>
 *
 * g and g' are Gaussian expansions over [-4, 4] ({@code edge_bins} and {@code potential_bins}
 * centres), ssp the shifted softplus softplus(x) - ln 2, and the weights of the potentials are
 * those of the paper's JARVIS settings. {@link PotNetConv} is the gated message-passing layer.
 *
 * <p>As in the paper's code (without its transformer option), messages pass over two edge sets in
 * one graph: the local bonds of the k-nearest-neighbour graph, described by their lengths, and the
 * complete graph of "infinite" edges, one per ordered pair of atoms of the cell (an atom with
 * itself included: its own images), described by the pair's potential sums ({@link
 * org.fusionml.models.batch.GraphSample#withInfiniteEdges}; bond length 0 marks them); the same
 * convolutions read both. A structure of N atoms has N^2 infinite edges. Where this differs from
 * the paper's code: the sums are the exact lattice sums (Ewald summation for Coulomb and London,
 * direct for Pauli) where the paper approximates them with incomplete Bessel functions; the Coulomb
 * sum is the one with a neutralising background; g' is Gaussian where the paper's code uses
 * multiquadric functions.
 *
 * <p>The model is invariant to rotations, translations and atom order, and (the sums depending only
 * on the pair and the lattice) to the choice of the cell's basis.
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a k-NN graph followed by its infinite edges; output
 * [B, outputs].
 */
public final class PotnetBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    /** c of the inverse-length feature -c / d, Angstrom. */
    static final double INVERSE_SCALE = 0.75;

    /** Range of both Gaussian expansions. */
    static final double RBF_MIN = -4;

    static final double RBF_MAX = 4;

    /** Weight of the Coulomb sum in p (the paper's JARVIS settings). */
    static final double COULOMB_WEIGHT = -0.801;

    /** Weight of the London sum in p. */
    static final double LONDON_WEIGHT = -0.074;

    /** Weight of the Pauli sum in p. */
    static final double PAULI_WEIGHT = 0.145;

    private final PotnetConfig config;
    private final RadialBasis inverseLengths;
    private final RadialBasis potentials;
    private final Linear atomEmbedding;
    private final Linear edgeEmbedding;
    private final Linear potentialEmbedding;
    private final BatchNorm potentialNorm;
    private final List<PotNetConv> layers = new ArrayList<>();
    private final Linear fc;
    private final Linear output;

    public PotnetBlock(PotnetConfig config) {
        super(VERSION);
        this.config = config;
        int f = config.features();
        inverseLengths = new RadialBasis(RBF_MIN, RBF_MAX, config.edgeBins());
        potentials = new RadialBasis(RBF_MIN, RBF_MAX, config.potentialBins());
        atomEmbedding = addChildBlock("atom_embedding", Linear.builder().setUnits(f).build());
        edgeEmbedding = addChildBlock("edge_embedding", Linear.builder().setUnits(f).build());
        potentialEmbedding =
                addChildBlock("potential_embedding", Linear.builder().setUnits(f).build());
        potentialNorm = addChildBlock("potential_norm", BatchNorm.builder().build());
        for (int l = 0; l < config.convLayers(); l++) {
            layers.add(addChildBlock("conv_" + l, PotNetConv.builder().setWidth(f).build()));
        }
        fc = addChildBlock("fc", Linear.builder().setUnits(config.fcFeatures()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public PotnetConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDManager manager = b.atomFeatures().getManager();
        NDArray d = b.bondLengths();
        NDArray infiniteEdge = d.eq(Scalars.of(d, 0));
        NDArray bondRows = infiniteEdge.logicalNot().nonzero().reshape(-1);
        NDArray infiniteRows = infiniteEdge.nonzero().reshape(-1);
        NDArray bondLengths = GraphOps.gather(d, bondRows);
        NDArray inverse = Scalars.of(bondLengths, -INVERSE_SCALE).div(bondLengths);
        NDArray local =
                Blocks.silu(
                        Blocks.apply(edgeEmbedding, ps, inverseLengths.expand(inverse), training));
        NDArray weights =
                manager.create(new double[] {COULOMB_WEIGHT, LONDON_WEIGHT, PAULI_WEIGHT})
                        .toType(b.edgePotentials().getDataType(), false)
                        .reshape(3, 1);
        NDArray p = GraphOps.gather(b.edgePotentials(), infiniteRows).matMul(weights).reshape(-1);
        NDArray infinite =
                Blocks.apply(
                        potentialNorm,
                        ps,
                        Activation.softPlus(
                                Blocks.apply(
                                        potentialEmbedding, ps, potentials.expand(p), training)),
                        training);
        // the rows of both back in edge order: row r of [bonds; infinite] is edge order[r]
        NDArray order = bondRows.concat(infiniteRows);
        NDArray e = GraphOps.gather(local.concat(infinite), order.argSort());
        NDArray h = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        for (PotNetConv layer : layers) {
            h = layer.apply(ps, h, e, b.edgeSrc(), b.edgeDst(), b.edgeToAtom(), training);
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), h);
        NDArray hidden = Blocks.apply(fc, ps, pooled, training);
        hidden = Activation.softPlus(hidden).sub(Scalars.of(hidden, Math.log(2)));
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
        potentialEmbedding.initialize(manager, dataType, new Shape(1, config.potentialBins()));
        potentialNorm.initialize(manager, dataType, row);
        for (PotNetConv layer : layers) {
            layer.initialize(
                    manager, dataType, row, row, new Shape(1), new Shape(1), new Shape(1, 1));
        }
        fc.initialize(manager, dataType, row);
        output.initialize(manager, dataType, new Shape(1, config.fcFeatures()));
    }
}
