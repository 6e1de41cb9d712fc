package org.fusionml.models.sodnet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.fusionml.models.equivariant.ClebschGordan;
import org.fusionml.models.equivariant.SphericalHarmonics;
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
     * harmonics Y_{l_2} of its row by every path p = (l_1, l_2, l_3), z^p_{r c} = w_{r p c} sum_ab
     * C^p[a, b, .] x^{l_1}_{r c a} Y^{l_2}_{r b} (C^p of {@link ClebschGordan#real}), and the
     * results into each l_3 are concatenated along the channels: by l_1, then channel c, then path
     * (the channel of (l_1, c, q) is offset(l_1) + c n + q for the n paths from l_1 into l_3).
     *
     * <p>The paths from one l_1 are computed together: the products x^{l_1}_{r c a} Y_{r b} with
     * all harmonics, one product with the Clebsch-Gordan coefficients of all those paths side by
     * side, and the weights spread over each path's columns; a handful of engine operations per
     * degree instead of about ten per path.
     *
     * @param x degrees 0..L_in, [R, C_l, 2l + 1]
     * @param y harmonics [R, (L_sh + 1)^2]
     * @param weights [R, W] or [1, W], W = {@link #depthwiseWeights}: the weights of the paths in
     *     the order of {@link #paths}, C_{l_1} each
     * @return degrees 0..lOut, [R, C'_l, 2l + 1] ({@link #depthwiseChannels})
     */
    static NDList depthwise(NDList x, NDArray y, int lSh, NDArray weights, int lOut) {
        List<List<NDArray>> byOut = new ArrayList<>();
        for (int l = 0; l <= lOut; l++) {
            byOut.add(new ArrayList<>());
        }
        long rows = y.getShape().get(0);
        int sh = SphericalHarmonics.size(lSh);
        List<int[]> all = paths(x.size() - 1, lSh, lOut);
        int offset = 0;
        for (int l1 = 0; l1 < x.size(); l1++) {
            int degree = l1;
            List<int[]> mine = all.stream().filter(p -> p[0] == degree).toList();
            if (mine.isEmpty()) {
                continue;
            }
            Fused f = Fused.of(l1, lSh, mine);
            NDArray xl = x.get(l1);
            long c = xl.getShape().get(1);
            int n = mine.size();
            NDArray w =
                    weights.get(new NDIndex(":, " + offset + ":" + (offset + n * c)))
                            .reshape(-1, n, c)
                            .transpose(0, 2, 1);
            offset += (int) (n * c);
            NDArray outer =
                    xl.expandDims(3)
                            .mul(y.reshape(rows, 1, 1, sh))
                            .reshape(rows, c, (2L * l1 + 1) * sh);
            NDArray z = outer.matMul(constant(xl, f.coefficients, f.coefficientShape));
            z = z.mul(w.matMul(constant(xl, f.spread, f.spreadShape)));
            int column = 0;
            for (int l3 = 0; l3 <= lOut; l3++) {
                int count = f.pathsInto[l3];
                if (count == 0) {
                    continue;
                }
                int width = count * (2 * l3 + 1);
                byOut.get(l3)
                        .add(
                                z.get(new NDIndex(":, :, " + column + ":" + (column + width)))
                                        .reshape(rows, c * count, 2L * l3 + 1));
                column += width;
            }
        }
        NDList out = new NDList();
        for (List<NDArray> parts : byOut) {
            out.add(parts.size() == 1 ? parts.get(0) : NDArrays.concat(new NDList(parts), 1));
        }
        return out;
    }

    /** {@code values} of {@code shape} as an engine-owned array of {@code like}'s data type. */
    private static NDArray constant(NDArray like, double[] values, Shape shape) {
        try (NDArray exact = like.getManager().create(values, shape)) {
            return exact.toType(like.getDataType(), true);
        }
    }

    /**
     * The constants of the fused paths from one degree l_1: the Clebsch-Gordan coefficients [(2 l_1
     * + 1) S, D] (S = (L_sh + 1)^2 harmonics; D = sum over the paths of 2 l_3 + 1 columns, ordered
     * by l_3, then path, then m_3) and the 0/1 matrix [n, D] that spreads path q's weight over its
     * columns.
     */
    private record Fused(
            double[] coefficients,
            Shape coefficientShape,
            double[] spread,
            Shape spreadShape,
            int[] pathsInto) {
        private static final Map<List<Integer>, Fused> CACHE = new ConcurrentHashMap<>();

        static Fused of(int l1, int lSh, List<int[]> paths) {
            List<Integer> key = new ArrayList<>(List.of(l1, lSh));
            for (int[] p : paths) {
                key.add(p[1]);
                key.add(p[2]);
            }
            return CACHE.computeIfAbsent(key, k -> build(l1, lSh, paths));
        }

        private static Fused build(int l1, int lSh, List<int[]> paths) {
            int sh = SphericalHarmonics.size(lSh);
            int lOut = 0;
            for (int[] p : paths) {
                lOut = Math.max(lOut, p[2]);
            }
            int[] pathsInto = new int[lOut + 1];
            int columns = 0;
            for (int[] p : paths) {
                pathsInto[p[2]]++;
                columns += 2 * p[2] + 1;
            }
            int d1 = 2 * l1 + 1;
            double[] coefficients = new double[d1 * sh * columns];
            double[] spread = new double[paths.size() * columns];
            int column = 0;
            for (int l3 = 0; l3 <= lOut; l3++) {
                for (int q = 0; q < paths.size(); q++) {
                    int[] p = paths.get(q);
                    if (p[2] != l3) {
                        continue;
                    }
                    double[][][] cg = ClebschGordan.real(l1, p[1], l3);
                    for (int k = 0; k <= 2 * l3; k++) {
                        for (int a = 0; a < d1; a++) {
                            for (int b = 0; b <= 2 * p[1]; b++) {
                                int row = a * sh + p[1] * p[1] + b;
                                coefficients[row * columns + column + k] = cg[a][b][k];
                            }
                        }
                        spread[q * columns + column + k] = 1;
                    }
                    column += 2 * l3 + 1;
                }
            }
            return new Fused(
                    coefficients,
                    new Shape(d1 * sh, columns),
                    spread,
                    new Shape(paths.size(), columns),
                    pathsInto);
        }
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
