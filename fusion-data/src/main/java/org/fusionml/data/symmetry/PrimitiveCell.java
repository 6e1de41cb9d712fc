package org.fusionml.data.symmetry;

import java.util.ArrayList;
import java.util.List;

/** A primitive basis of the lattice spanned by the unit vectors and a set of centring vectors. */
final class PrimitiveCell {
    private PrimitiveCell() {}

    /**
     * Three vectors of the lattice spanned by the unit vectors and {@code translations} (which
     * include zero) with determinant 1 / |translations| > 0: a basis of that lattice (rows, input
     * fractional coordinates). Candidates are taken in the given order, so callers sort them by
     * length first when they want short vectors.
     */
    static double[] basis(List<double[]> translations) {
        return basis(candidates(translations), translations.size());
    }

    /** The unit vectors and the non-zero translations (copies): candidate basis vectors. */
    static List<double[]> candidates(List<double[]> translations) {
        List<double[]> cand = new ArrayList<>();
        cand.add(new double[] {1, 0, 0});
        cand.add(new double[] {0, 1, 0});
        cand.add(new double[] {0, 0, 1});
        for (int q = 1; q < translations.size(); q++) {
            cand.add(translations.get(q).clone());
        }
        return cand;
    }

    /** As {@link #basis(List)}, from explicit candidates (index = lattice points per unit cell). */
    static double[] basis(List<double[]> cand, int index) {
        double target = 1.0 / index;
        for (int a = 0; a < cand.size(); a++) {
            for (int b = a + 1; b < cand.size(); b++) {
                for (int c = b + 1; c < cand.size(); c++) {
                    double[] basis = new double[9];
                    System.arraycopy(cand.get(a), 0, basis, 0, 3);
                    System.arraycopy(cand.get(b), 0, basis, 3, 3);
                    System.arraycopy(cand.get(c), 0, basis, 6, 3);
                    double det = SpaceGroupFinder.determinant(basis);
                    if (Math.abs(Math.abs(det) - target) < 1e-6 * target + 1e-9) {
                        if (det < 0) {
                            for (int k = 0; k < 3; k++) {
                                basis[6 + k] = -basis[6 + k];
                            }
                        }
                        return basis;
                    }
                }
            }
        }
        throw new IllegalStateException(
                "no primitive basis for " + index + " lattice points per cell");
    }

    static double[] transpose(double[] a) {
        return new double[] {a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8]};
    }
}
