package org.fusionml.models.ecomformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.fusionml.models.equivariant.SphericalHarmonics;
import org.fusionml.models.equivariant.TensorProduct;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.layers.Perceptron;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * eComFormer's equivariant node update ({@code ComformerConvEqui} of the paper's code): two
 * tensor-product convolutions of the atoms' features with the spherical harmonics of the bond
 * vectors, the first from scalars to degrees 0, 1, 2, the second back to scalars. With S = {@code
 * scalars}, V = {@code vectors}, Y_l(r_ij) = sqrt(4 pi) Y_lm(r_ij / |r_ij|) (so that Y_0 = 1), (x)
 * the Clebsch-Gordan coupling of {@link TensorProduct#couple}, mean_j the mean over the bonds j ->
 * i into atom i and weights w(e_ij) = W_2 softplus(W_1 e_ij + b_1) + b_2 computed per bond from its
 * invariant features:
 *
 * <pre>
 *   s_i      = W_s h_i + b_s                                                     [N, S]
 *   s'_i     = s_i + mean_j (w^0(e_ij) s_j) (x) Y_0 / sqrt(S)                     [N, S]
 *   v_i      = mean_j (w^1(e_ij) s_j) (x) Y_1 / sqrt(S)      (0 x 1 -> 1)         [N, V, 3]
 *   t_i      = mean_j (w^2(e_ij) s_j) (x) Y_2 / sqrt(S)      (0 x 2 -> 2)         [N, V, 5]
 *   u_i      = mean_j [w^3 (s'_j (x) Y_0) + w^4 (v_j (x) Y_1) + w^5 (t_j (x) Y_2)] / sqrt(S + 2V)
 *                       (0 x 0 -> 0, 1 x 1 -> 0, 2 x 2 -> 0)                        [N, S]
 *   h'_i     = softplus(W_o softplus(BN(u_i)) + b_o) + W_k h_i + b_k                [N, F]
 * </pre>
 *
 * w^0 [S, S], w^1 and w^2 [S, V] per bond (the first network's output), w^3 [S, S], w^4 and w^5 [V,
 * S] (the second's): e3nn's fully connected tensor product with weights from the bond, as the
 * paper's code uses it, with the paths that keep the parity (-1)^l of the harmonics. v and t turn
 * with the structure (v_i by R itself, t_i by the degree-2 Wigner matrix); s', u and h' are
 * invariant.
 *
 * <p>Input: h [N, F], e [E, F], r [E, 3] bond vectors, src [E] int64, edgeToAtom sparse [N, E]
 * (every atom has a bond into it); output h' [N, F].
 */
public final class EquivariantUpdate extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int width;
    private final int scalars;
    private final int vectors;
    private final Linear scalarIn;
    private final Perceptron firstWeights;
    private final Perceptron secondWeights;
    private final BatchNorm norm;
    private final Linear out;
    private final Linear skip;

    public EquivariantUpdate(int width, int scalars, int vectors) {
        super(VERSION);
        this.width = width;
        this.scalars = scalars;
        this.vectors = vectors;
        int weights = scalars * scalars + 2 * scalars * vectors;
        scalarIn = addChildBlock("scalar_in", Linear.builder().setUnits(scalars).build());
        firstWeights = addChildBlock("first_weights", weightNetwork(width, weights));
        secondWeights = addChildBlock("second_weights", weightNetwork(width, weights));
        norm = addChildBlock("norm", BatchNorm.builder().build());
        out = addChildBlock("out", Linear.builder().setUnits(width).build());
        skip = addChildBlock("skip", Linear.builder().setUnits(width).build());
    }

    private static Perceptron weightNetwork(int width, int weights) {
        return Perceptron.builder()
                .setUnits(width, weights)
                .setActivation(Activation::softPlus)
                .build();
    }

    /** Named form of {@link #forward}: h' [N, F]. */
    public NDArray apply(
            ParameterStore ps,
            NDArray h,
            NDArray e,
            NDArray r,
            NDArray src,
            NDArray edgeToAtom,
            boolean training) {
        return forward(ps, new NDList(h, e, r, src, edgeToAtom), training).singletonOrThrow();
    }

    /**
     * The features after the first tensor-product convolution: s' [N, S], v [N, V, 3] and t [N, V,
     * 5] (for the tests of their equivariance).
     */
    public NDList firstConvolution(
            ParameterStore ps,
            NDArray h,
            NDArray e,
            NDArray r,
            NDArray src,
            NDArray edgeToAtom,
            boolean training) {
        NDArray y = harmonics(r);
        NDArray s = Blocks.apply(scalarIn, ps, h, training);
        return first(ps, s, e, y, src, edgeToAtom, training);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
        NDArray h = in.get(0);
        NDArray e = in.get(1);
        NDArray src = in.get(3);
        NDArray edgeToAtom = in.get(4);
        NDArray y = harmonics(in.get(2));
        NDArray s = Blocks.apply(scalarIn, ps, h, training);
        NDList first = first(ps, s, e, y, src, edgeToAtom, training);
        long edges = e.getShape().get(0);
        NDArray w = Blocks.apply(secondWeights, ps, e, training);
        int ss = scalars * scalars;
        int sv = scalars * vectors;
        NDArray w3 = w.get(new NDIndex(":, 0:" + ss)).reshape(edges, scalars, scalars);
        NDArray w4 =
                w.get(new NDIndex(":, " + ss + ":" + (ss + sv))).reshape(edges, vectors, scalars);
        NDArray w5 = w.get(new NDIndex(":, " + (ss + sv) + ":")).reshape(edges, vectors, scalars);
        NDArray sj = GraphOps.gather(first.get(0), src).reshape(edges, scalars, 1);
        NDArray vj =
                GraphOps.gather(first.get(1).reshape(-1, 3L * vectors), src)
                        .reshape(edges, vectors, 3);
        NDArray tj =
                GraphOps.gather(first.get(2).reshape(-1, 5L * vectors), src)
                        .reshape(edges, vectors, 5);
        NDArray c0 = TensorProduct.couple(sj, degree(y, 0), 0, 0, 0).reshape(edges, 1, scalars);
        NDArray c1 = TensorProduct.couple(vj, degree(y, 1), 1, 1, 0).reshape(edges, 1, vectors);
        NDArray c2 = TensorProduct.couple(tj, degree(y, 2), 2, 2, 0).reshape(edges, 1, vectors);
        NDArray m = c0.matMul(w3).add(c1.matMul(w4)).add(c2.matMul(w5)).reshape(edges, scalars);
        m = m.mul(Scalars.of(m, 1 / Math.sqrt(scalars + 2.0 * vectors)));
        NDArray u = mean(edgeToAtom, m);
        NDArray normed = Activation.softPlus(Blocks.apply(norm, ps, u, training));
        NDArray hOut = Activation.softPlus(Blocks.apply(out, ps, normed, training));
        return new NDList(hOut.add(Blocks.apply(skip, ps, h, training)));
    }

    /** s' [N, S], v [N, V, 3], t [N, V, 5] from s [N, S]. */
    private NDList first(
            ParameterStore ps,
            NDArray s,
            NDArray e,
            NDArray y,
            NDArray src,
            NDArray edgeToAtom,
            boolean training) {
        long edges = e.getShape().get(0);
        NDArray w = Blocks.apply(firstWeights, ps, e, training);
        int ss = scalars * scalars;
        int sv = scalars * vectors;
        NDArray w0 = w.get(new NDIndex(":, 0:" + ss)).reshape(edges, scalars, scalars);
        NDArray w1 =
                w.get(new NDIndex(":, " + ss + ":" + (ss + sv))).reshape(edges, scalars, vectors);
        NDArray w2 = w.get(new NDIndex(":, " + (ss + sv) + ":")).reshape(edges, scalars, vectors);
        NDArray sj = GraphOps.gather(s, src).reshape(edges, 1, scalars);
        NDArray scale = Scalars.of(s, 1 / Math.sqrt(scalars));
        NDArray a0 = sj.matMul(w0).mul(scale).reshape(edges, scalars, 1);
        NDArray a1 = sj.matMul(w1).mul(scale).reshape(edges, vectors, 1);
        NDArray a2 = sj.matMul(w2).mul(scale).reshape(edges, vectors, 1);
        NDArray m0 = TensorProduct.couple(a0, degree(y, 0), 0, 0, 0).reshape(edges, scalars);
        NDArray m1 = TensorProduct.couple(a1, degree(y, 1), 0, 1, 1).reshape(edges, 3L * vectors);
        NDArray m2 = TensorProduct.couple(a2, degree(y, 2), 0, 2, 2).reshape(edges, 5L * vectors);
        long atoms = s.getShape().get(0);
        return new NDList(
                s.add(mean(edgeToAtom, m0)),
                mean(edgeToAtom, m1).reshape(atoms, vectors, 3),
                mean(edgeToAtom, m2).reshape(atoms, vectors, 5));
    }

    /** sqrt(4 pi) Y_lm(r / |r|), l = 0..2: [E, 9]. */
    private static NDArray harmonics(NDArray r) {
        NDArray y = SphericalHarmonics.of(r, 2);
        return y.mul(Scalars.of(y, Math.sqrt(4 * Math.PI)));
    }

    /** Degree l of y [E, 9] as [E, 1, 2l + 1]. */
    private static NDArray degree(NDArray y, int l) {
        long edges = y.getShape().get(0);
        return y.get(new NDIndex(":, " + l * l + ":" + (l + 1) * (l + 1)))
                .reshape(edges, 1, 2L * l + 1);
    }

    /** Mean of the bond rows m [E, K] into their destination atoms: [N, K]. */
    private static NDArray mean(NDArray edgeToAtom, NDArray m) {
        NDArray sum = GraphOps.scatter(edgeToAtom, m);
        NDArray ones = m.getManager().ones(new Shape(m.getShape().get(0), 1), m.getDataType());
        return sum.div(GraphOps.scatter(edgeToAtom, ones));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), width)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape row = new Shape(1, width);
        scalarIn.initialize(manager, dataType, row);
        firstWeights.initialize(manager, dataType, row);
        secondWeights.initialize(manager, dataType, row);
        norm.initialize(manager, dataType, new Shape(1, scalars));
        out.initialize(manager, dataType, new Shape(1, scalars));
        skip.initialize(manager, dataType, row);
    }
}
