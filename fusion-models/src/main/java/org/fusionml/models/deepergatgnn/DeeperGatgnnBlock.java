package org.fusionml.models.deepergatgnn;

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
import org.fusionml.models.layers.AgatConv;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.DiffGroupNorm;
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.Segments;

/**
 * DeeperGATGNN (Omee, Louis, Fu, Wei, Dey, Dong, Xu and Hu, "Scalable deeper graph neural networks
 * for high-performance materials property prediction", Patterns 3, 100491, 2022), as in the paper's
 * code ({@code DEEP_GATGNN}, pre-FC 1, post-FC 0, add pooling). With F = {@code features} and lrelu
 * the leaky ReLU of slope 0.2:
 *
 * <pre>
 *   h^0_i = lrelu(W_v x_i + b_v)                       atoms [N, 92] -> [N, F]
 *   e_ij  = lrelu(W_e g(d_ij) + b_e)                   bonds [E] -> [E, gaussians] -> [E, F]
 *   h^l   = DGN_l(AGAT_l(h^{l-1}, e)) + h^{l-1}         l = 1..L              [N, F]
 *   c_g   = mean over the atoms of graph g of x_i       composition context   [B, 92]
 *   s_i   = W3 softplus(W2 softplus(W1 [h^L_i, c_g(i)] + b1) + b2) + b3        [N]
 *   a_i   = softmax of s over the atoms of graph(i)    global attention       [N]
 *   y_g   = W_o sum_{i in g} a_i h^L_i + b_o                                   [B, outputs]
 * </pre>
 *
 * AGAT is {@link AgatConv} (H heads, softplus), DGN {@link DiffGroupNorm}; the bond features stay
 * those of the input layer in every convolution, as in the paper's code. g(d)_k = exp(-(d - mu_k)^2
 * / (2 sigma^2)) with mu from 0 to the cutoff. The model is invariant to rotations, translations
 * and atom order, and, since the attention weights of a graph sum to 1, to the choice of cell (a
 * supercell gives the same prediction).
 *
 * <p>Where this differs from the paper's code, and why: the composition context c_g is the graph
 * mean of the 92 CGCNN atom features instead of GATGNN's 108 element fractions (the batch carries
 * features, not atomic numbers; both are averages over the atoms of per-element vectors); atoms are
 * not given one-hot degree features and the graph has no self-loops (the framework's k-NN graph is
 * shared with CGCNN); distances enter in Angstrom over [0, cutoff] rather than scaled by the
 * dataset's largest distance, so a saved model needs no dataset statistics.
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a k-NN graph; output [B, outputs].
 */
public final class DeeperGatgnnBlock extends AbstractBlock {
    private static final byte VERSION = 1;
    private static final float LEAKY_SLOPE = 0.2f;

    private final DeeperGatgnnConfig config;
    private final RadialBasis distances;
    private final Linear atomIn;
    private final Linear bondIn;
    private final List<AgatConv> convs = new ArrayList<>();
    private final List<DiffGroupNorm> norms = new ArrayList<>();
    private final Perceptron globalAttention;
    private final Linear output;

    public DeeperGatgnnBlock(DeeperGatgnnConfig config) {
        super(VERSION);
        this.config = config;
        distances = new RadialBasis(0, config.cutoff(), config.gaussians());
        int f = config.features();
        atomIn = addChildBlock("atom_in", Linear.builder().setUnits(f).build());
        bondIn = addChildBlock("bond_in", Linear.builder().setUnits(f).build());
        for (int l = 0; l < config.convLayers(); l++) {
            convs.add(
                    addChildBlock(
                            "conv_" + l,
                            AgatConv.builder().setFeatures(f).optHeads(config.heads()).build()));
            norms.add(
                    addChildBlock(
                            "conv_" + l + "_dgn",
                            DiffGroupNorm.builder()
                                    .setFeatures(f)
                                    .optGroups(config.groups())
                                    .optLambda(config.dgnLambda())
                                    .build()));
        }
        globalAttention =
                addChildBlock(
                        "global_attention",
                        Perceptron.builder()
                                .setUnits(f, f, 1)
                                .setActivation(Activation::softPlus)
                                .build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public DeeperGatgnnConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDManager manager = b.atomFeatures().getManager();
        DataType type = b.atomFeatures().getDataType();
        int[] graphOfAtom = b.graphOfAtom();
        Segments atoms = Segments.of(manager, graphOfAtom, Math.toIntExact(b.numGraphs()), type);
        Segments incoming = Segments.of(manager, b.edgeDestinations(), graphOfAtom.length, type);

        double sigma = config.gaussianWidth();
        NDArray g = distances.expand(b.bondLengths(), 1 / (2 * sigma * sigma));
        NDArray h =
                Activation.leakyRelu(
                        Blocks.apply(atomIn, ps, b.atomFeatures(), training), LEAKY_SLOPE);
        NDArray e = Activation.leakyRelu(Blocks.apply(bondIn, ps, g, training), LEAKY_SLOPE);
        for (int l = 0; l < convs.size(); l++) {
            NDArray conv = convs.get(l).apply(ps, h, e, b.edgeSrc(), incoming, training);
            h = Blocks.apply(norms.get(l), ps, conv, training).add(h);
        }
        NDArray context = atoms.broadcast(atoms.mean(b.atomFeatures()));
        NDArray scores =
                Blocks.apply(globalAttention, ps, h.concat(context, 1), training).reshape(-1);
        NDArray weights = atoms.softmax(scores);
        NDArray pooled = atoms.sum(h.mul(weights.reshape(-1, 1)));
        return output.forward(ps, new NDList(pooled), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int f = config.features();
        atomIn.initialize(manager, dataType, new Shape(1, AtomFeatures.SIZE));
        bondIn.initialize(manager, dataType, new Shape(1, config.gaussians()));
        Shape[] convShapes = {
            new Shape(1, f),
            new Shape(1, f),
            new Shape(1),
            new Shape(1),
            new Shape(1, 1),
            new Shape(1, 1),
            new Shape(1)
        };
        for (int l = 0; l < convs.size(); l++) {
            convs.get(l).initialize(manager, dataType, convShapes);
            norms.get(l).initialize(manager, dataType, new Shape(1, f));
        }
        globalAttention.initialize(manager, dataType, new Shape(1, f + AtomFeatures.SIZE));
        output.initialize(manager, dataType, new Shape(1, f));
    }
}
