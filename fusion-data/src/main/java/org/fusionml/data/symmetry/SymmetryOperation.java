package org.fusionml.data.symmetry;

import java.util.Arrays;

/**
 * A space-group operation x' = R x + t on fractional coordinates (column vectors) of the cell it
 * was found in.
 *
 * @param rotation 3x3 integer matrix R, row-major [9]
 * @param translation t, fractional [3]
 */
public record SymmetryOperation(int[] rotation, double[] translation) {
    public SymmetryOperation {
        rotation = rotation.clone();
        translation = translation.clone();
    }

    @Override
    public int[] rotation() {
        return rotation.clone();
    }

    @Override
    public double[] translation() {
        return translation.clone();
    }

    /** Applies the operation to fractional coordinates {@code f}. */
    public double[] apply(double[] f) {
        double[] out = new double[3];
        for (int r = 0; r < 3; r++) {
            out[r] =
                    rotation[3 * r] * f[0]
                            + rotation[3 * r + 1] * f[1]
                            + rotation[3 * r + 2] * f[2]
                            + translation[r];
        }
        return out;
    }

    /** Determinant of R (+1 proper, -1 improper). */
    public int determinant() {
        int[] m = rotation;
        return m[0] * (m[4] * m[8] - m[5] * m[7])
                - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /** Trace of R. */
    public int trace() {
        return rotation[0] + rotation[4] + rotation[8];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SymmetryOperation s
                && Arrays.equals(rotation, s.rotation)
                && Arrays.equals(translation, s.translation);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(rotation) + Arrays.hashCode(translation);
    }

    @Override
    public String toString() {
        return "SymmetryOperation("
                + Arrays.toString(rotation)
                + " + "
                + Arrays.toString(translation)
                + ")";
    }
}
