package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
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
import org.fusionml.models.ops.Segments;

/**
 * SODNet (Chen, Peng, Jiao, Mo, Wang, Huang, Liu and Lu, "Learning Superconductivity from Ordered
 * and Disordered Material Structures", NeurIPS 2024), the equivariant graph-attention transformer
 * of the paper's code ({@code graph_attention_transformer_nonlinear_l2_e3_noNorm}, an Equiformer
 * without norms inside its blocks). Atoms carry irreducible features of degrees l = 0..L (L = 2:
 * C_0, C_1, C_2 channels, the paper's 128x0e + 64x1e + 32x2e); with r_ij the vector of bond j -&gt;
 * i, o_i the total occupancy of site i and Y_ij = sqrt(4 pi) Y_lm(r_ij / |r_ij|), l = 0..L:
 *
 * <pre>
 *   h^0_i   = sum_s o_is (W_x x_s + b_x)           site-occupancy embedding   [N, C_0]
 *   g_ij    = o_i o_j phi(|r_ij|)                  Gaussians on [0, cutoff]   [E, B]
 *   d_i     = W_d mean_j (1 (x)_{w(g_ij)} Y_ij)    edge-degree embedding      degrees 0..L
 *   x^0     = (h^0 + d^0, d^1, .., d^L)                                       [N, C_l, 2l + 1]
 *   x^k     = SodnetLayer_k(x^{k-1}), k = 1..K     the last maps to F scalars [N, F]
 *   y_g     = mean_{i in g} W_o SiLU(W_f LN(x^K_i) + b_f) + b_o                [B, outputs]
 * </pre>
 *
 * with {@link OccupancyEmbedding} (the paper's occupancy-weighted species embedding), (x)_w the
 * depthwise tensor product of {@link Irreps#depthwise} with weights from a {@link RadialProfile},
 * {@link SodnetLayer} the transformer blocks (graph attention, feed-forward network, ReZero
 * residuals) and LN a layer norm. The bond features g_ij carry the vacancies: a bond between partly
 * occupied sites counts for o_i o_j, as in the paper's code ({@code edge_occu}).
 *
 * <p>Features of degree l &gt;= 1 turn with the structure (by the Wigner matrix D^l(R)); the output
 * is invariant to rotations, reflections, translations, atom order and supercells (a mean over
 * atoms of a local graph). Where this differs from the paper's code, besides the simplifications of
 * {@link SodnetAttention}: the input species embedding is learned from the framework's atom
 * features (the code reads a fixed 480-number vector per element, which also fills degrees 1 and 2
 * with constants that do not turn with the structure; here degrees 1 and 2 start at the edge-degree
 * embedding); degree l has parity (-1)^l and only the couplings that keep it are used (the code's
 * "e3" model has odd degree-1 harmonics but even degree-1 features, so that its degree-1 harmonics
 * drop out of every product); the Gaussians are fixed (the code learns their centres and widths);
 * the edge-degree embedding starts from ones rather than a learned vector (a per-channel factor the
 * radial network absorbs), and neither it nor the readout divides by the code's dataset constants
 * (sqrt of an average degree of 34.3 and of an average atom count of 29.9); the graph is the
 * framework's k-nearest-neighbour graph (the code's is pymatgen's MinimumDistanceNN within the
 * cutoff, filtered by a comparison with the sum of the two sites' atomic radii, then the k
 * nearest).
 *
 * <p>Input: {@link GraphBatch#toNDList()}; output [B, outputs]. A disordered structure would come
 * in through {@link #forward(ParameterStore, NDList, SiteOccupancy, boolean)} (see {@link
 * SiteOccupancy} for what the framework would need to read one).
 */
public final class SodnetBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final SodnetConfig config;
    private final int[] channels;
    private final int lMax;
    private final RadialBasis distances;
    private final OccupancyEmbedding embedding;
    private final RadialProfile degreeRadial;
    private final IrrepsLinear degreeProject;
    private final List<SodnetLayer> layers = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear fc;
    private final Linear output;

    public SodnetBlock(SodnetConfig config) {
        super(VERSION);
        this.config = config;
        channels = config.channels();
        lMax = channels.length - 1;
        distances = new RadialBasis(0, config.cutoff(), config.edgeBins());
        embedding = addChildBlock("embedding", new OccupancyEmbedding(channels[0]));
        int[] single = {channels[0]};
        degreeRadial =
                addChildBlock(
                        "degree_radial",
                        new RadialProfile(
                                config.radialFeatures(),
                                Irreps.depthwiseWeights(single, lMax, lMax)));
        degreeProject =
                addChildBlock(
                        "degree_project",
                        new IrrepsLinear(
                                Irreps.depthwiseChannels(single, lMax, lMax), channels, true));
        for (int k = 0; k < config.layers(); k++) {
            SodnetLayer.Builder b =
                    SodnetLayer.builder()
                            .setChannels(channels)
                            .setHeads(config.heads())
                            .setRadialWidth(config.radialFeatures())
                            .setFfnFactor(config.ffnFactor())
                            .optRezeroInit(config.rezeroInit());
            if (k == config.layers() - 1) {
                b.optOutputScalars(config.features());
            }
            layers.add(addChildBlock("layer_" + k, b.build()));
        }
        norm = addChildBlock("norm", LayerNorm.builder().build());
        fc = addChildBlock("fc", Linear.builder().setUnits(config.features()).build());
        output = addChildBlock("output", Linear.builder().setUnits(config.outputs()).build());
    }

    public SodnetConfig config() {
        return config;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        return forward(ps, inputs, SiteOccupancy.ordered(b.atomFeatures()), training);
    }

    /**
     * The prediction [B, outputs] for sites given by their species and occupancies instead of the
     * batch's atom features (which are then not read); with {@link SiteOccupancy#ordered} of the
     * atom features it is {@link #forward(ParameterStore, NDList, boolean)}.
     */
    public NDList forward(ParameterStore ps, NDList inputs, SiteOccupancy sites, boolean training) {
        GraphBatch b = GraphBatch.fromNDList(inputs);
        NDList x = features(ps, b, sites, config.layers(), training);
        long atoms = x.get(0).getShape().get(0);
        NDArray s = Blocks.apply(norm, ps, x.get(0).reshape(atoms, config.features()), training);
        NDArray hidden = Blocks.silu(Blocks.apply(fc, ps, s, training));
        NDArray perAtom = Blocks.apply(output, ps, hidden, training);
        return new NDList(GraphOps.scatter(b.atomToGraph(), perAtom));
    }

    /**
     * The atoms' irreducible features after the embedding and the first {@code depth} layers (depth
     * &lt; layers: degrees 0..L, [N, C_l, 2l + 1]), for the tests of their equivariance.
     */
    public NDList irreps(ParameterStore ps, NDList inputs, SiteOccupancy sites, int depth) {
        if (depth < 0 || depth >= config.layers()) {
            throw new IllegalArgumentException(
                    "depth (" + depth + ") must be in 0.." + (config.layers() - 1));
        }
        return features(ps, GraphBatch.fromNDList(inputs), sites, depth, false);
    }

    private NDList features(
            ParameterStore ps, GraphBatch b, SiteOccupancy sites, int depth, boolean training) {
        NDArray h0 = embedding.apply(ps, sites, training);
        long atoms = h0.getShape().get(0);
        Bonds bonds = bonds(b, sites);
        long edges = bonds.size();
        NDArray w =
                degreeRadial.forward(ps, new NDList(bonds.radial()), training).singletonOrThrow();
        NDArray ones = h0.getManager().ones(new Shape(edges, channels[0], 1), h0.getDataType());
        NDList d = Irreps.depthwise(new NDList(ones), bonds.harmonics(), lMax, w, lMax);
        d = degreeProject.apply(ps, d, training);
        NDArray counts = bonds.incoming().counts();
        counts = counts.maximum(Scalars.of(counts, 1)).reshape(-1, 1, 1);
        NDList x = new NDList();
        NDList sums = Irreps.scatter(bonds.edgeToAtom(), d);
        for (int l = 0; l <= lMax; l++) {
            NDArray mean = sums.get(l).div(counts);
            x.add(l == 0 ? mean.add(h0.reshape(atoms, channels[0], 1)) : mean);
        }
        for (int k = 0; k < depth; k++) {
            x = layers.get(k).apply(ps, x, bonds, training);
        }
        return x;
    }

    /** The bonds' harmonics, occupancy-weighted Gaussians and segments. */
    private Bonds bonds(GraphBatch b, SiteOccupancy sites) {
        NDArray d = b.bondLengths();
        NDManager manager = d.getManager();
        NDArray totals = sites.siteTotals();
        NDArray weight =
                GraphOps.gather(totals, b.edgeSrc()).mul(GraphOps.gather(totals, b.edgeDst()));
        NDArray radial = distances.expand(d).mul(weight.reshape(-1, 1));
        int atoms = Math.toIntExact(totals.getShape().get(0));
        Segments incoming = Segments.of(manager, b.edgeDestinations(), atoms, d.getDataType());
        return new Bonds(
                Irreps.harmonics(b.bondVectors(), lMax),
                radial,
                b.edgeSrc(),
                b.edgeDst(),
                b.edgeToAtom(),
                incoming);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return Blocks.graphOutputShape(inputs, config.outputs());
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        int f = config.features();
        Shape radial = new Shape(1, config.edgeBins());
        embedding.initialize(
                manager, dataType, new Shape(1, 1, AtomFeatures.SIZE), new Shape(1, 1));
        degreeRadial.initialize(manager, dataType, radial);
        degreeProject.initialize(
                manager,
                dataType,
                IrrepsLinear.shapes(Irreps.depthwiseChannels(new int[] {channels[0]}, lMax, lMax)));
        Shape[] x = IrrepsLinear.shapes(channels);
        Shape[] in = new Shape[x.length + Bonds.SIZE];
        System.arraycopy(x, 0, in, 0, x.length);
        in[x.length] = new Shape(1, (lMax + 1) * (lMax + 1));
        in[x.length + 1] = radial;
        for (int k = x.length + 2; k < in.length; k++) {
            in[k] = new Shape(1);
        }
        for (SodnetLayer layer : layers) {
            layer.initialize(manager, dataType, in);
        }
        norm.initialize(manager, dataType, new Shape(1, f));
        fc.initialize(manager, dataType, new Shape(1, f));
        output.initialize(manager, dataType, new Shape(1, f));
    }
}
