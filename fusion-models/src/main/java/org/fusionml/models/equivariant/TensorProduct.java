package org.fusionml.models.equivariant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The Clebsch-Gordan tensor product of irreducible features, as differentiable NDArray operations:
 * features x of degrees 0..L_1 (C channels) and y of degrees 0..L_2 give features of degrees
 * 0..L_out,
 *
 * <pre>
 *   z^{l_3}_{r c} = sum_{paths p = (l_1, l_2, l_3)} w_{r c p} sum_{a b} C^p[a, b, .] x^{l_1}_{r c a} y^{l_2}_{r c b}
 * </pre>
 *
 * over every path with |l_1 - l_2| &lt;= l_3 &lt;= l_1 + l_2 ({@link ClebschGordan}), optionally
 * only those with l_1 + l_2 + l_3 even (then features of parity (-1)^l, such as the {@link
 * SphericalHarmonics} of bond vectors, stay so: the product is equivariant under inversion too).
 * The weights w may depend on invariant quantities (a bond's length) and then the product is still
 * equivariant; without weights every path has weight 1.
 *
 * <p>Shapes: x [R, C, (L_1 + 1)^2], y [R, C, (L_2 + 1)^2] or [R, 1, (L_2 + 1)^2] (one y for all
 * channels), w [R, C, P], [R, 1, P] or null, z [R, C, (L_out + 1)^2]; degree l at column l^2. Cost:
 * one [R C, (L_1 + 1)^2 (L_2 + 1)^2] x [(L_1 + 1)^2 (L_2 + 1)^2, P (L_out + 1)^2] product.
 */
public final class TensorProduct {
    private final int lMax1;
    private final int lMax2;
    private final int lMaxOut;
    private final List<int[]> paths = new ArrayList<>();
    private final double[] matrix; // [size1 * size2, P * sizeOut]

    /**
     * @param lMax1 highest degree of x
     * @param lMax2 highest degree of y
     * @param lMaxOut highest degree of z
     * @param evenPathsOnly keep only the paths with l_1 + l_2 + l_3 even
     */
    public TensorProduct(int lMax1, int lMax2, int lMaxOut, boolean evenPathsOnly) {
        if (lMax1 < 0 || lMax2 < 0 || lMaxOut < 0) {
            throw new IllegalArgumentException(
                    "negative degree in " + lMax1 + " x " + lMax2 + " -> " + lMaxOut);
        }
        this.lMax1 = lMax1;
        this.lMax2 = lMax2;
        this.lMaxOut = lMaxOut;
        for (int l1 = 0; l1 <= lMax1; l1++) {
            for (int l2 = 0; l2 <= lMax2; l2++) {
                for (int l3 = Math.abs(l1 - l2); l3 <= Math.min(l1 + l2, lMaxOut); l3++) {
                    if (!evenPathsOnly || (l1 + l2 + l3) % 2 == 0) {
                        paths.add(new int[] {l1, l2, l3});
                    }
                }
            }
        }
        if (paths.isEmpty()) {
            throw new IllegalArgumentException(
                    "no path couples " + lMax1 + " x " + lMax2 + " -> " + lMaxOut);
        }
        int size2 = SphericalHarmonics.size(lMax2);
        int sizeOut = SphericalHarmonics.size(lMaxOut);
        int columns = paths.size() * sizeOut;
        matrix = new double[SphericalHarmonics.size(lMax1) * size2 * columns];
        for (int p = 0; p < paths.size(); p++) {
            int l1 = paths.get(p)[0];
            int l2 = paths.get(p)[1];
            int l3 = paths.get(p)[2];
            double[][][] c = ClebschGordan.real(l1, l2, l3);
            for (int a = 0; a <= 2 * l1; a++) {
                for (int b = 0; b <= 2 * l2; b++) {
                    int row = (l1 * l1 + a) * size2 + l2 * l2 + b;
                    for (int k = 0; k <= 2 * l3; k++) {
                        matrix[row * columns + p * sizeOut + l3 * l3 + k] = c[a][b][k];
                    }
                }
            }
        }
    }

    /**
     * One path of the product: z_c = sum_ab C[a, b, c] x_a y_b for x of degree l_1 and y of degree
     * l_2 ({@link ClebschGordan#real}).
     *
     * @param x [R, C, 2 l_1 + 1]
     * @param y [R, C, 2 l_2 + 1] or [R, 1, 2 l_2 + 1]
     * @return z [R, C, 2 l_3 + 1]
     */
    public static NDArray couple(NDArray x, NDArray y, int l1, int l2, int l3) {
        int d1 = 2 * l1 + 1;
        int d2 = 2 * l2 + 1;
        int d3 = 2 * l3 + 1;
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(2) != d1 || y.getShape().get(2) != d2) {
            throw new IllegalArgumentException(
                    "coupling of "
                            + xs
                            + " and "
                            + y.getShape()
                            + " as degrees "
                            + l1
                            + " x "
                            + l2);
        }
        double[][][] c = ClebschGordan.real(l1, l2, l3);
        double[] flat = new double[d1 * d2 * d3];
        for (int a = 0; a < d1; a++) {
            for (int b = 0; b < d2; b++) {
                System.arraycopy(c[a][b], 0, flat, (a * d2 + b) * d3, d3);
            }
        }
        NDArray outer = x.expandDims(3).mul(y.expandDims(2)).reshape(xs.get(0), xs.get(1), d1 * d2);
        NDArray m;
        try (NDArray exact = x.getManager().create(flat, new Shape(d1 * d2, d3))) {
            m = exact.toType(x.getDataType(), true);
        }
        return outer.matMul(m);
    }

    /** Number of paths P (the last dimension of the weights). */
    public int numPaths() {
        return paths.size();
    }

    /** (l_1, l_2, l_3) of path p. */
    public int[] path(int p) {
        return paths.get(p).clone();
    }

    /** (L_out + 1)^2. */
    public int outputSize() {
        return SphericalHarmonics.size(lMaxOut);
    }

    /**
     * z = x (x) y with path weights w (see the class comment for the shapes).
     *
     * @param weights [R, C, P], [R, 1, P] or null (all 1)
     */
    public NDArray apply(NDArray x, NDArray y, NDArray weights) {
        int size1 = SphericalHarmonics.size(lMax1);
        int size2 = SphericalHarmonics.size(lMax2);
        int sizeOut = outputSize();
        Shape xs = x.getShape();
        if (xs.dimension() != 3 || xs.get(2) != size1 || y.getShape().get(2) != size2) {
            throw new IllegalArgumentException(
                    "tensor product of "
                            + xs
                            + " and "
                            + y.getShape()
                            + " for degrees "
                            + lMax1
                            + " x "
                            + lMax2);
        }
        long r = xs.get(0);
        long channels = xs.get(1);
        int p = paths.size();
        NDArray outer = x.expandDims(3).mul(y.expandDims(2)).reshape(r, channels, size1 * size2);
        NDArray m;
        try (NDArray exact = x.getManager().create(matrix, new Shape(size1 * size2, p * sizeOut))) {
            m = exact.toType(x.getDataType(), true);
        }
        NDArray perPath = outer.matMul(m).reshape(r, channels, p, sizeOut);
        if (weights == null) {
            return perPath.sum(new int[] {2});
        }
        return perPath.mul(weights.expandDims(3)).sum(new int[] {2});
    }
}
