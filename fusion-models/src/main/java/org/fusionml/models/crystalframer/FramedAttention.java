package org.fusionml.models.crystalframer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.RadialBasis;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;
import org.fusionml.models.ops.Segments;

/**
 * CrystalFramer's self-attention with dynamic max frames (Ito, Taniai, Igarashi, Ushiku and Ono,
 * "Rethinking the role of frames for SE(3)-invariant crystal structure modeling", ICLR 2025), on
 * Crystalformer's infinitely connected attention (Taniai et al., "Crystalformer: Infinitely
 * Connected Attention for Periodic Structure Encoding", ICLR 2024). With H heads of width C = F /
 * H, for the querying atom i and each image (j, n) it attends to, r = p_j + n - p_i ({@link
 * PeriodicImages}):
 *
 * <pre>
 *   q_i = W_q x_i + b_q,  k_j = W_k x_j + b_k,  v_j = W_v x_j + b_v          [N, H, C]
 *   a_ih   = -rho(w_h . q_ih) / (2 r_0^2),  rho(t) = (1 - b) elu(t beta / (1 - b)) + 1   [N, H]
 *   s_ijnh = q_ih . k_jh / sqrt(C) + a_ih |r|^2                              [E', H]
 *   alpha  = softmax of s over the images (j, n) of each i                  [E', H]
 *   F_ih   = (f_1, f_2, f_3), the max frame of i in head h (below)          [N, H, 3, 3]
 *   psi    = W^d_h g_dist(|r|) + sum_k W^k_h g_angle(|f_k . r| / |r|)        [E', H, C]
 *   y_i    = W_o [sum_(j,n) alpha (v_jh + psi)]_heads + b_o                 [N, F]
 * </pre>
 *
 * exp(a |r|^2) is the Gaussian decay exp(-|r|^2 / (2 sigma_ih^2)) of Crystalformer with sigma_ih =
 * r_0 / sqrt(rho) in (0, r_0 / sqrt(b)); b = 0.5 and beta = 0.1 as the paper's code. g_dist expands
 * the length on K Gaussians centred at r_max k / K, k = 1..K, r_max = 10 r_0, of width r_max / K;
 * g_angle expands the absolute value of a cosine on D Gaussians centred over [0, 1] of width 4
 * spacings; the atom itself (r = 0) has no angle features. W^d_h [C, K] and W^k_h [C, D] are per
 * head.
 *
 * <p>The max frame (the paper's default, {@code frame_method: max} of its code) of atom i and head
 * h, rebuilt in every layer from that layer's scores: f_1 is the direction r / |r| of the image of
 * largest attention weight (the atom itself excluded), f_2 the direction of the image that
 * maximises alpha (1 - |cos(r, f_1)|) among those with |cos| < 0.9999, made orthogonal to f_1 and
 * normalised, f_3 = f_1 x f_2. The selection is not differentiated (as in the paper's code). The
 * frame turns with the structure, so the cosines are invariant to rotations. An atom with no image
 * gets a zero frame, and one whose images are collinear zero f_2 and f_3 (zero cosines, not an
 * error).
 *
 * <p>Why absolute cosines (the code's {@code cos_abs = 1}; its default, 0, keeps the sign): in a
 * crystal, images tie for the largest weight, by symmetry (images related by a symmetry of the
 * crystal that keeps atom i) and always in pairs (the images p_i +- n of atom i itself, whenever
 * one of them has the largest weight). The code breaks ties with random noise of 1e-5, so its
 * output is random there; a fixed order (the graph's, as here) would make it depend on the order of
 * the atoms and on the cell's basis. Which of two tied images is taken turns the frame by the
 * symmetry or flips the sign of an axis (f_1 -> -f_1 flips f_3 too; a mirror flips f_3): with
 * absolute cosines every choice gives the same features, so the output is well defined, and the
 * model is invariant to reflections as well (it cannot tell a crystal from its mirror image). The
 * output is continuous where the choice switches but its derivative is not, which a gradient check
 * on a symmetric crystal sees.
 *
 * <p>Other differences from the paper's code: ties are broken by the first image in the graph's
 * order; the query of the Gaussian width is not standardised by statistics of the first training
 * batch ({@code normalize_gauss}); the scores that choose the frame are the attention scores (the
 * code leaves out the 1 / sqrt(C)).
 *
 * <p>Input: x [N, F] and the {@link PeriodicImages}; output y [N, F].
 */
public final class FramedAttention extends AbstractBlock {
    private static final byte VERSION = 1;

    /** b, the lower bound of rho (the code's {@code gauss_lb_real}). */
    static final double LOWER_BOUND = 0.5;

    /** beta, the slope of rho at 0 (the code's {@code positive_func_beta}). */
    static final double SLOPE = 0.1;

    /** r_max / r_0 of the length expansion (the code's {@code value_pe_dist_max = -10}). */
    static final double LENGTH_RANGE = 10;

    /**
     * Width of the length Gaussians in centre spacings (the code's {@code value_pe_dist_wscale}).
     */
    static final double LENGTH_WIDTH = 1;

    /** Width of the cosine Gaussians in centre spacings ({@code value_pe_angle_wscale}). */
    static final double ANGLE_WIDTH = 4;

    /** Images this close to parallel with f_1 cannot give f_2 (as the code). */
    static final double PARALLEL = 0.9999;

    /** The smallest 1 - |cos| in the score of f_2 (as the code). */
    static final double MIN_GAP = 1e-5;

    private final int features;
    private final int heads;
    private final int width;
    private final int angleBins;
    private final double scale;
    private final RadialBasis lengthBasis;
    private final RadialBasis angleBasis;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;
    private final Parameter widthWeights;
    private final Parameter lengthProjection;
    private final Parameter angleProjection;

    private FramedAttention(Builder b) {
        super(VERSION);
        features = b.features;
        heads = b.heads;
        width = b.features / b.heads;
        angleBins = b.angleBins;
        scale = b.scale;
        double rMax = LENGTH_RANGE * scale;
        lengthBasis = new RadialBasis(rMax / b.lengthBins, rMax, b.lengthBins);
        angleBasis = new RadialBasis(0, 1, b.angleBins);
        query = addChildBlock("query", Linear.builder().setUnits(features).build());
        key = addChildBlock("key", Linear.builder().setUnits(features).build());
        value = addChildBlock("value", Linear.builder().setUnits(features).build());
        output = addChildBlock("output", Linear.builder().setUnits(features).build());
        widthWeights =
                addParameter(
                        Parameter.builder()
                                .setName("width_weights")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(heads, width))
                                .optInitializer(
                                        new NormalInitializer((float) (1 / Math.sqrt(width))))
                                .build());
        // the code's initialisation of its value encodings: Xavier-uniform of the [H C, bins]
        // matrix with gain 1 / sqrt(bins)
        lengthProjection =
                addParameter(
                        Parameter.builder()
                                .setName("length_projection")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(b.lengthBins, features))
                                .optInitializer(xavierWithGain(b.lengthBins, features))
                                .build());
        angleProjection =
                addParameter(
                        Parameter.builder()
                                .setName("angle_projection")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(heads, 3L * b.angleBins, width))
                                .optInitializer(xavierWithGain(b.angleBins, features))
                                .build());
    }

    private static UniformInitializer xavierWithGain(int bins, int features) {
        return new UniformInitializer(
                (float) (Math.sqrt(6.0 / (bins + features)) / Math.sqrt(bins)));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Named form of {@link #forward}: y [N, F]. */
    public NDArray apply(ParameterStore ps, NDArray x, PeriodicImages images, boolean training) {
        NDList in = new NDList(x);
        in.addAll(images.toNDList());
        return forward(ps, in, training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray x = in.get(0);
        PeriodicImages images = PeriodicImages.fromNDList(in, 1);
        Segments byQuery = images.byQuery();
        long n = x.getShape().get(0);
        long rows = images.size();
        NDArray k = GraphOps.gather(Blocks.apply(key, ps, x, training), images.src());
        NDArray v = GraphOps.gather(Blocks.apply(value, ps, x, training), images.src());
        NDArray q = Blocks.apply(query, ps, x, training);
        NDArray scores = scores(ps, q, k, images, training);
        NDArray alpha = byQuery.softmax(scores).reshape(rows, heads, 1);
        NDArray lengthCode =
                lengthBasis
                        .expand(images.lengths(), gamma(lengthBasis, LENGTH_WIDTH))
                        .matMul(ps.getValue(lengthProjection, x.getDevice(), training));
        NDArray messages = v.add(lengthCode).reshape(rows, heads, width).mul(alpha);
        NDArray y = byQuery.sum(messages.reshape(rows, features));
        // sum_(j,n) alpha W^k_h g(cos) = W^k_h sum_(j,n) alpha g(cos): the expansions are summed
        // per atom first, then projected (N rows instead of E')
        NDArray cosines = cosines(maxFrames(scores, images), images);
        NDArray angleCode =
                angleBasis
                        .expand(cosines.reshape(-1), gamma(angleBasis, ANGLE_WIDTH))
                        .reshape(rows, heads, 3L * angleBins)
                        .mul(images.isImage().reshape(rows, 1, 1))
                        .mul(alpha);
        NDArray summed =
                byQuery.sum(angleCode.reshape(rows, heads * 3L * angleBins))
                        .reshape(n, heads, 3L * angleBins)
                        .transpose(1, 0, 2)
                        .matMul(ps.getValue(angleProjection, x.getDevice(), training))
                        .transpose(1, 0, 2)
                        .reshape(n, features);
        return new NDList(Blocks.apply(output, ps, y.add(summed), training));
    }

    /** gamma = 1 / (2 sigma^2) of Gaussians {@code spacings} centre spacings wide. */
    private static double gamma(RadialBasis basis, double spacings) {
        double sigma = spacings * (basis.max() - basis.min()) / (basis.bins() - 1);
        return 1 / (2 * sigma * sigma);
    }

    /** s = q_i . k_j / sqrt(C) + a_i |r|^2 of every image and head: [E', H]. */
    private NDArray scores(
            ParameterStore ps, NDArray q, NDArray k, PeriodicImages images, boolean training) {
        long n = q.getShape().get(0);
        long rows = images.size();
        NDArray w = ps.getValue(widthWeights, q.getDevice(), training);
        NDArray t = q.reshape(n, heads, width).mul(w.reshape(1, heads, width)).sum(new int[] {2});
        // rho(t) = (1 - b) elu(t beta / (1 - b)) + 1, elu(u) = max(u, 0) + exp(min(u, 0)) - 1
        NDArray u = t.mul(Scalars.of(t, SLOPE / (1 - LOWER_BOUND)));
        NDArray zero = Scalars.of(u, 0);
        NDArray elu = u.maximum(zero).add(u.minimum(zero).exp()).sub(Scalars.of(u, 1));
        NDArray rho = elu.mul(Scalars.of(elu, 1 - LOWER_BOUND)).add(Scalars.of(elu, 1));
        NDArray a = rho.mul(Scalars.of(rho, -1 / (2 * scale * scale)));
        NDArray qi = images.byQuery().broadcast(q);
        NDArray dot =
                qi.mul(k)
                        .reshape(rows, heads, width)
                        .sum(new int[] {2})
                        .mul(Scalars.of(qi, 1 / Math.sqrt(width)));
        NDArray d2 = images.lengths().square().reshape(rows, 1);
        return dot.add(images.byQuery().broadcast(a).mul(d2));
    }

    /**
     * The max frame of every atom and head from the scores [E', H]: [N, H, 3, 3], axis 2 the frame
     * vector f_1, f_2, f_3, axis 3 its Cartesian components. Without gradient.
     */
    static NDArray maxFrames(NDArray scores, PeriodicImages images) {
        NDManager m = scores.getManager();
        Segments byQuery = images.byQuery();
        long rows = images.size();
        long h = scores.getShape().get(1);
        NDArray none = m.full(new Shape(rows, h), Float.NEGATIVE_INFINITY, scores.getDataType());
        NDArray own = images.isImage().reshape(rows, 1).broadcast(new Shape(rows, h)).gt(0.5);
        NDArray s = NDArrays.where(own, scores.stopGradient(), none);
        NDArray u = images.directions().stopGradient();
        NDArray padded = u.concat(m.zeros(new Shape(1, 3), u.getDataType()), 0);
        NDArray f1 = unit(pick(padded, byQuery.argMax(s)));
        // cos(r, f_1) of every image with its own atom's f_1
        NDArray c = directionCosines(u, f1, byQuery, rows, h);
        NDArray gap = Scalars.of(c, 1).sub(c.abs());
        NDArray s2 =
                NDArrays.where(
                        c.abs().lt(PARALLEL),
                        s.add(gap.maximum(Scalars.of(gap, MIN_GAP)).log()),
                        none);
        NDArray g2 = pick(padded, byQuery.argMax(s2));
        NDArray f2 = unit(g2.sub(f1.mul(f1.mul(g2).sum(new int[] {2}, true))));
        return NDArrays.stack(new NDList(f1, f2, cross(f1, f2)), 2);
    }

    /** The directions of the picked rows [N, H] (R picks the zero padding row): [N, H, 3]. */
    private static NDArray pick(NDArray padded, NDArray picked) {
        Shape shape = picked.getShape();
        return GraphOps.gather(padded, picked.reshape(-1)).reshape(shape.get(0), shape.get(1), 3);
    }

    /** u . f of every image with its querying atom's vector f [N, H, 3]: [E', H]. */
    private static NDArray directionCosines(
            NDArray u, NDArray f, Segments byQuery, long rows, long h) {
        long n = f.getShape().get(0);
        NDArray fi = byQuery.broadcast(f.reshape(n, h * 3)).reshape(rows, h, 3);
        return fi.mul(u.reshape(rows, 1, 3)).sum(new int[] {2});
    }

    /** x / |x| along the last axis, 0 for a zero vector: [N, H, 3]. */
    private static NDArray unit(NDArray x) {
        NDArray norm = x.square().sum(new int[] {2}, true).sqrt();
        return x.div(norm.maximum(Scalars.of(norm, 1e-12)));
    }

    private static NDArray cross(NDArray a, NDArray b) {
        NDArray ax = a.get(":, :, 0");
        NDArray ay = a.get(":, :, 1");
        NDArray az = a.get(":, :, 2");
        NDArray bx = b.get(":, :, 0");
        NDArray by = b.get(":, :, 1");
        NDArray bz = b.get(":, :, 2");
        return NDArrays.stack(
                new NDList(
                        ay.mul(bz).sub(az.mul(by)),
                        az.mul(bx).sub(ax.mul(bz)),
                        ax.mul(by).sub(ay.mul(bx))),
                2);
    }

    /** The cosines f_k . r / |r| of every image with its atom's frame [N, H, 3, 3]: [E', H, 3]. */
    static NDArray cosines(NDArray frames, PeriodicImages images) {
        long rows = images.size();
        long n = frames.getShape().get(0);
        long h = frames.getShape().get(1);
        NDArray fi = images.byQuery().broadcast(frames.reshape(n, h * 9)).reshape(rows, h, 3, 3);
        NDArray c =
                fi.mul(images.directions().stopGradient().reshape(rows, 1, 1, 3))
                        .sum(new int[] {3});
        return c.abs();
    }

    /**
     * The max frames [N, H, 3, 3] and the cosines [E', H, 3] of the images with them, for input x
     * [N, F] (for the tests of their invariance).
     */
    public NDList frames(ParameterStore ps, NDArray x, PeriodicImages images) {
        NDArray k = GraphOps.gather(Blocks.apply(key, ps, x, false), images.src());
        NDArray q = Blocks.apply(query, ps, x, false);
        NDArray f = maxFrames(scores(ps, q, k, images, false), images);
        return new NDList(f, cosines(f, images));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {inputs[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, features);
        for (Linear l : new Linear[] {query, key, value, output}) {
            l.initialize(manager, dataType, row);
        }
    }

    /** Builds a {@link FramedAttention}. */
    public static final class Builder {
        private int features;
        private int heads = 8;
        private int lengthBins = 64;
        private int angleBins = 64;
        private double scale = 1.4;

        /** Width F of the atoms, a multiple of the heads. */
        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        /** Attention heads H (default 8). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Gaussians K of the length expansion (default 64). */
        public Builder optLengthBins(int bins) {
            this.lengthBins = bins;
            return this;
        }

        /** Gaussians D of each cosine expansion (default 64). */
        public Builder optAngleBins(int bins) {
            this.angleBins = bins;
            return this;
        }

        /** r_0, Angstrom (default 1.4). */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        public FramedAttention build() {
            if (features <= 0) {
                throw new IllegalArgumentException("features (" + features + ") must be > 0");
            }
            if (heads <= 0 || features % heads != 0) {
                throw new IllegalArgumentException(
                        "heads (" + heads + ") must be > 0 and divide features (" + features + ")");
            }
            if (lengthBins < 2) {
                throw new IllegalArgumentException("length bins (" + lengthBins + ") must be >= 2");
            }
            if (angleBins < 2) {
                throw new IllegalArgumentException("angle bins (" + angleBins + ") must be >= 2");
            }
            if (!(scale > 0) || !Double.isFinite(scale)) {
                throw new IllegalArgumentException("scale (" + scale + ") must be > 0 Angstrom");
            }
            return new FramedAttention(this);
        }
    }
}
