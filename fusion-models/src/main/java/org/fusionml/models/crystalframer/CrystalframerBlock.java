package org.fusionml.models.crystalframer;

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
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.ops.GraphOps;

/**
 * CrystalFramer (Ito, Taniai, Igarashi, Ushiku and Ono, "Rethinking the role of frames for
 * SE(3)-invariant crystal structure modeling", ICLR 2025), Crystalformer (Taniai et al., ICLR 2024)
 * with dynamic frames, as in the paper's code with max frames ({@code train_jarvis.sh}). With F =
 * {@code features}, L blocks:
 *
 * <pre>
 *   x^0_i  = W_x a_i                                          atoms [N, 92] -> [N, F]
 *   x'     = x^{l-1} + FramedAttention_l(x^{l-1})              [N, F]
 *   x^l    = x' + W_2 ReLU(W_1 x' + b_1) + b_2                 [N, F], W_1: F -> ff
 *   y_g    = W_o ReLU(W_fc mean_{i in g} x^L_i + b_fc) + b_o    [B, outputs]
 * </pre>
 *
 * {@link FramedAttention} attends from every atom to all periodic images of all atoms (itself
 * included) with a Gaussian decay in distance, and encodes each image by its distance and by its
 * direction's cosines with a frame built per atom, head and block from the attention weights (the
 * max frame). The blocks have no layer normalisation, as the paper's (post-norm removed with
 * T-Fixup).
 *
 * <p>The output is invariant to rotations, translations, reflections, atom order and the cell's
 * basis and, since the attention runs over images rather than over the cell's atoms, to supercells
 * (the same images around every atom, the same mean). Where this differs from the paper's code: the
 * infinite sum over lattice translations is cut at the radius graph's {@code cutoff} (the code cuts
 * at 3.5 sigma of each head and keeps at least -2..2 cells); the atoms are the framework's 92 CGCNN
 * features instead of a one-hot code of 98 elements; the linear layers take the framework's
 * initialisation ({@code init}) instead of T-Fixup's scaling; only the max frame is implemented
 * (not the weighted-PCA, static or lattice frames); the frame cosines enter through their absolute
 * values, which makes the output independent of how tied images are chosen (and blind to chirality;
 * see {@link FramedAttention}).
 *
 * <p>Input: {@link GraphBatch#toNDList()} of a radius graph; output [B, outputs].
 */
public final class CrystalframerBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final CrystalframerConfig config;
    private final Linear atomEmbedding;
    private final List<FramedAttention> attention = new ArrayList<>();
    private final List<Perceptron> feedForward = new ArrayList<>();
    private final Linear fc;
    private final Linear output;

    public CrystalframerBlock(CrystalframerConfig config) {
        super(VERSION);
        this.config = config;
        int f = config.features();
        atomEmbedding =
                addChildBlock(
                        "atom_embedding", Linear.builder().setUnits(f).optBias(false).build());
        for (int l = 0; l < config.layers(); l++) {
            attention.add(
                    addChildBlock(
                            "attention_" + l,
                            FramedAttention.builder()
                                    .setFeatures(f)
                                    .optHeads(config.heads())
                                    .optLengthBins(config.lengthBins())
                                    .optAngleBins(config.angleBins())
                                    .optScale(config.scale())
                                    .build()));
            feedForward.add(
                    addChildBlock(
                            "feed_forward_" + l,
                            Perceptron.builder()
                                    .setUnits(config.ffFeatures(), f)
                                    .setActivation(Activation::relu)
                                    .build()));
        }
        fc = addChildBlock("fc", Linear.builder().setUnits(config.fcFeatures()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public CrystalframerConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        PeriodicImages images = PeriodicImages.of(b.atomFeatures().getManager(), b);
        NDArray x = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), training);
        for (int l = 0; l < attention.size(); l++) {
            x = x.add(attention.get(l).apply(ps, x, images, training));
            x = x.add(Blocks.apply(feedForward.get(l), ps, x, training));
        }
        NDArray pooled = GraphOps.scatter(b.atomToGraph(), x);
        NDArray hidden = Activation.relu(Blocks.apply(fc, ps, pooled, training));
        return output.forward(ps, new NDList(hidden), training);
    }

    /**
     * The max frames [N, H, 3, 3] of the first block and the cosines [E', H, 3] of the images with
     * them (bonds first, then the atoms themselves), for the tests of their invariance.
     */
    public NDList firstFrames(ParameterStore ps, NDList inputs) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        PeriodicImages images = PeriodicImages.of(b.atomFeatures().getManager(), b);
        NDArray x = Blocks.apply(atomEmbedding, ps, b.atomFeatures(), false);
        return attention.get(0).frames(ps, x, images);
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
        for (int l = 0; l < attention.size(); l++) {
            // x, then the images: src, lengths, directions, isImage and the four segment arrays
            attention
                    .get(l)
                    .initialize(
                            manager,
                            dataType,
                            row,
                            new Shape(1),
                            new Shape(1),
                            new Shape(1, 3),
                            new Shape(1),
                            new Shape(1),
                            new Shape(1, 1),
                            new Shape(1, 1),
                            new Shape(1));
            feedForward.get(l).initialize(manager, dataType, row);
        }
        fc.initialize(manager, dataType, row);
        output.initialize(manager, dataType, new Shape(1, config.fcFeatures()));
    }
}
