package org.fusionml.models.equivariant;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import org.fusionml.models.ops.Scalars;

/**
 * Real orthonormal spherical harmonics Y_lm(u) of the directions u = r / |r| of vectors r, degrees
 * l = 0..{@value #MAX_DEGREE}, as differentiable NDArray operations (autograd reaches r through the
 * normalisation).
 *
 * <p>The real basis is the usual one built from the complex harmonics with the Condon-Shortley
 * phase: Y_l0 = Y_l^0, Y_lm = sqrt(2) (-1)^m Re Y_l^m and Y_l,-m = sqrt(2) (-1)^m Im Y_l^m for m
 * &gt; 0. With u = (x, y, z) on the unit sphere they are the polynomials
 *
 * <pre>
 *   l = 0: 1/2 sqrt(1/pi)
 *   l = 1: sqrt(3/(4 pi)) (y, z, x)
 *   l = 2: 1/2 sqrt(15/pi) xy, 1/2 sqrt(15/pi) yz, 1/4 sqrt(5/pi) (3z^2 - 1),
 *          1/2 sqrt(15/pi) xz, 1/4 sqrt(15/pi) (x^2 - y^2)
 *   l = 3: 1/4 sqrt(35/(2 pi)) y (3x^2 - y^2), 1/2 sqrt(105/pi) xyz, 1/4 sqrt(21/(2 pi)) y (5z^2 - 1),
 *          1/4 sqrt(7/pi) z (5z^2 - 3), 1/4 sqrt(21/(2 pi)) x (5z^2 - 1),
 *          1/4 sqrt(105/pi) z (x^2 - y^2), 1/4 sqrt(35/(2 pi)) x (x^2 - 3y^2)
 * </pre>
 *
 * in the order m = -l..l, degree l at column l^2. They satisfy int Y_lm Y_l'm' dOmega = delta_ll'
 * delta_mm' and the addition theorem sum_m Y_lm(u) Y_lm(v) = (2l + 1) / (4 pi) P_l(u . v), both
 * checked by the tests.
 */
public final class SphericalHarmonics {
    /** Largest degree implemented. */
    public static final int MAX_DEGREE = 3;

    private SphericalHarmonics() {}

    /** Number of coefficients of degrees 0..lMax: (lMax + 1)^2. */
    public static int size(int lMax) {
        return (lMax + 1) * (lMax + 1);
    }

    /** Column of Y_l,-l in an array of degrees 0..L: l^2. */
    public static int offset(int l) {
        return l * l;
    }

    /**
     * Y_lm(r / |r|) for l = 0..lMax.
     *
     * @param vectors [R, 3], non-zero
     * @param lMax 0..{@value #MAX_DEGREE}
     * @return [R, (lMax + 1)^2], degree l in columns l^2 .. l^2 + 2l
     */
    public static NDArray of(NDArray vectors, int lMax) {
        if (lMax < 0 || lMax > MAX_DEGREE) {
            throw new IllegalArgumentException(
                    "spherical harmonics of degree " + lMax + " (0.." + MAX_DEGREE + ")");
        }
        NDArray norm = vectors.square().sum(new int[] {1}, true).sqrt();
        NDArray u = vectors.div(norm);
        NDArray x = u.get(new NDIndex(":, 0"));
        NDArray y = u.get(new NDIndex(":, 1"));
        NDArray z = u.get(new NDIndex(":, 2"));
        NDList columns = new NDList();
        columns.add(x.zerosLike().add(Scalars.of(x, 0.5 * Math.sqrt(1 / Math.PI))));
        if (lMax >= 1) {
            double c = Math.sqrt(3 / (4 * Math.PI));
            columns.add(times(y, c));
            columns.add(times(z, c));
            columns.add(times(x, c));
        }
        if (lMax >= 2) {
            double c = 0.5 * Math.sqrt(15 / Math.PI);
            NDArray zz = z.square();
            NDArray xx = x.square();
            NDArray yy = y.square();
            columns.add(times(x.mul(y), c));
            columns.add(times(y.mul(z), c));
            columns.add(times(times(zz, 3).sub(Scalars.of(z, 1)), 0.25 * Math.sqrt(5 / Math.PI)));
            columns.add(times(x.mul(z), c));
            columns.add(times(xx.sub(yy), 0.25 * Math.sqrt(15 / Math.PI)));
            if (lMax >= 3) {
                double c3 = 0.25 * Math.sqrt(35 / (2 * Math.PI));
                double c2 = 0.5 * Math.sqrt(105 / Math.PI);
                double c1 = 0.25 * Math.sqrt(21 / (2 * Math.PI));
                double c0 = 0.25 * Math.sqrt(7 / Math.PI);
                NDArray fiveZzMinusOne = times(zz, 5).sub(Scalars.of(z, 1));
                columns.add(times(y.mul(times(xx, 3).sub(yy)), c3));
                columns.add(times(x.mul(y).mul(z), c2));
                columns.add(times(y.mul(fiveZzMinusOne), c1));
                columns.add(times(z.mul(times(zz, 5).sub(Scalars.of(z, 3))), c0));
                columns.add(times(x.mul(fiveZzMinusOne), c1));
                columns.add(times(z.mul(xx.sub(yy)), 0.5 * c2));
                columns.add(times(x.mul(xx.sub(times(yy, 3))), c3));
            }
        }
        return NDArrays.stack(columns, 1);
    }

    private static NDArray times(NDArray a, double c) {
        return a.mul(Scalars.of(a, c));
    }
}
