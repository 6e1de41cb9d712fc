package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.models.equivariant.SphericalHarmonics;
import org.fusionml.models.equivariant.TensorProduct;
import org.fusionml.models.layers.Blocks;
import org.fusionml.models.ops.GraphOps;
import org.fusionml.models.ops.Scalars;

/**
 * Irreducible features as SODNet's layers pass them: an {@link NDList} x with one array per degree
 * l = 0..L, x_l [R, C_l, 2l + 1] (C_l channels of the 2l + 1 real spherical-harmonic coefficients
 * of {@link org.fusionml.models.equivariant}); a rotation R acts on every channel of x_l by the
 * Wigner matrix D^l(R). Degree l has parity (-1)^l, as the harmonics of a bond vector, so that the
 * operations here, which keep only couplings l_1 + l_2 + l_3 even, are equivariant under inversion
 * too.
 */
final class Irreps {
    private Irreps() {}

    /**
     * The coupling paths (l_1, l_2, l_3) of features of degrees 0..lIn with harmonics of degrees
     * 0..lSh into degrees 0..lOut: |l_1 - l_2| &lt;= l_3 &lt;= l_1 + l_2, l_1 + l_2 + l_3 even, in
     * the order l_1, l_2, l_3.
     */
    static List<int[]> paths(int lIn, int lSh, int lOut) {
        List<int[]> out = new ArrayList<>();
        for (int l1 = 0; l1 <= lIn; l1++) {
            for (int l2 = 0; l2 <= lSh; l2++) {
                for (int l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, lOut); l3++) {
                    if ((l1 + l2 + l3) % 2 == 0) {
                        out.add(new int[] {l1, l2, l3});
                    }
                }
            }
        }
        return out;
    }

    /** Number of weights of {@link #depthwise}: sum over the paths of C_{l_1}. */
    static int depthwiseWeights(int[] channels, int lSh, int lOut) {
        int n = 0;
        for (int[] p : paths(channels.length - 1, lSh, lOut)) {
            n += channels[p[0]];
        }
        return n;
    }

    /**
     * Channels of each output degree of {@link #depthwise}: C'_{l_3} = sum over the paths into l_3
     * of C_{l_1}.
     */
    static int[] depthwiseChannels(int[] channels, int lSh, int lOut) {
        int[] out = new int[lOut + 1];
        for (int[] p : paths(channels.length - 1, lSh, lOut)) {
            out[p[2]] += channels[p[0]];
        }
        return out;
    }

    /**
     * Equiformer's depthwise tensor product: every channel c of degree l_1 is coupled with the
     * harmonics Y_{l_2} of its row by every path, z^{l_3}_{r, (p, c)} = w_{r, p, c} sum_ab C^p[a,
     * b, .] x^{l_1}_{r c a} Y^{l_2}_{r b}, and the paths into each l_3 are concatenated along the
     * channels (path order, then channel).
     *
     * @param x degrees 0..L_in, [R, C_l, 2l + 1]
     * @param y harmonics [R, (L_sh + 1)^2]
     * @param weights [R, W] or [1, W], W = {@link #depthwiseWeights}
     * @return degrees 0..lOut, [R, C'_l, 2l + 1] ({@link #depthwiseChannels})
     */
    static NDList depthwise(NDList x, NDArray y, int lSh, NDArray weights, int lOut) {
        List<List<NDArray>> byOut = new ArrayList<>();
        for (int l = 0; l <= lOut; l++) {
            byOut.add(new ArrayList<>());
        }
        long rows = y.getShape().get(0);
        int offset = 0;
        for (int[] p : paths(x.size() - 1, lSh, lOut)) {
            NDArray xl = x.get(p[0]);
            long c = xl.getShape().get(1);
            NDArray w = weights.get(new NDIndex(":, " + offset + ":" + (offset + c)));
            offset += (int) c;
            NDArray yl =
                    y.get(new NDIndex(":, " + p[1] * p[1] + ":" + (p[1] + 1) * (p[1] + 1)))
                            .reshape(rows, 1, 2L * p[1] + 1);
            byOut.get(p[2])
                    .add(TensorProduct.couple(xl.mul(w.expandDims(2)), yl, p[0], p[1], p[2]));
        }
        NDList out = new NDList();
        for (List<NDArray> parts : byOut) {
            out.add(parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1));
        }
        return out;
    }

    /**
     * sqrt(4 pi) Y_lm(r / |r|), l = 0..lMax (e3nn's "component" normalisation, sum_m Y_lm^2 = 2l +
     * 1, as the paper's code).
     *
     * @param r [E, 3]
     * @return [E, (lMax + 1)^2]
     */
    static NDArray harmonics(NDArray r, int lMax) {
        NDArray y = SphericalHarmonics.of(r, lMax);
        return y.mul(Scalars.of(y, Math.sqrt(4 * Math.PI)));
    }

    /**
     * Equiformer's gate: x_0 holds S scalars followed by one gate per channel of every degree l
     * &gt;= 1; the scalars become SiLU(s), each channel of degree l &gt;= 1 is multiplied by
     * sigmoid of its gate.
     *
     * @param x degree 0 [R, S + sum_{l &gt;= 1} C_l, 1], degrees l &gt;= 1 [R, C_l, 2l + 1]
     * @return degree 0 [R, S, 1], degrees l &gt;= 1 unchanged in shape
     */
    static NDList gate(NDList x) {
        int gated = 0;
        for (int l = 1; l < x.size(); l++) {
            gated += (int) x.get(l).getShape().get(1);
        }
        NDArray s = x.get(0);
        long scalars = s.getShape().get(1) - gated;
        NDList out = new NDList();
        out.add(Blocks.silu(s.get(new NDIndex(":, 0:" + scalars))));
        long from = scalars;
        for (int l = 1; l < x.size(); l++) {
            long c = x.get(l).getShape().get(1);
            NDArray g = Activation.sigmoid(s.get(new NDIndex(":, " + from + ":" + (from + c))));
            out.add(x.get(l).mul(g));
            from += c;
        }
        return out;
    }

    /** Row-gathers every degree: x_l [N, C_l, d] to [R, C_l, d] at {@code index} [R]. */
    static NDList gather(NDList x, NDArray index) {
        NDList out = new NDList();
        long rows = index.getShape().get(0);
        for (NDArray xl : x) {
            Shape3 s = Shape3.of(xl);
            out.add(GraphOps.gather(xl.reshape(s.rows, s.c * s.d), index).reshape(rows, s.c, s.d));
        }
        return out;
    }

    /** Sums every degree's rows with a sparse matrix [N, R] ({@link GraphOps#scatter}). */
    static NDList scatter(NDArray matrix, NDList x) {
        NDList out = new NDList();
        long rows = matrix.getShape().get(0);
        for (NDArray xl : x) {
            Shape3 s = Shape3.of(xl);
            out.add(
                    GraphOps.scatter(matrix, xl.reshape(s.rows, s.c * s.d))
                            .reshape(rows, s.c, s.d));
        }
        return out;
    }

    /** Degree-wise sum. */
    static NDList add(NDList a, NDList b) {
        NDList out = new NDList();
        for (int l = 0; l < a.size(); l++) {
            out.add(a.get(l).add(b.get(l)));
        }
        return out;
    }

    /** Every degree times the 0-d or [1] array {@code factor}. */
    static NDList times(NDList a, NDArray factor) {
        NDList out = new NDList();
        for (NDArray al : a) {
            out.add(al.mul(factor));
        }
        return out;
    }

    private record Shape3(long rows, long c, long d) {
        static Shape3 of(NDArray x) {
            return new Shape3(x.getShape().get(0), x.getShape().get(1), x.getShape().get(2));
        }
    }
}
