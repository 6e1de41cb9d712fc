package org.fusionml.data.symmetry;

import static org.fusionml.data.symmetry.SpaceGroupFinder.IDENTITY;
import static org.fusionml.data.symmetry.SpaceGroupFinder.distance;
import static org.fusionml.data.symmetry.SpaceGroupFinder.inverse;
import static org.fusionml.data.symmetry.SpaceGroupFinder.multiply;
import static org.fusionml.data.symmetry.SpaceGroupFinder.permutation;
import static org.fusionml.data.symmetry.SpaceGroupFinder.referenceAtom;
import static org.fusionml.data.symmetry.SpaceGroupFinder.rowTimes;
import static org.fusionml.data.symmetry.SpaceGroupFinder.toDouble;
import static org.fusionml.data.symmetry.SpaceGroupFinder.wrapInPlace;

import java.util.ArrayList;
import java.util.List;

/**
 * The reduced primitive cell of a structure (steps 1 and 2 of {@link SpaceGroupFinder}): the pure
 * translations of the input cell define the primitive cell, whose basis is then reduced.
 *
 * @param lattice reduced primitive lattice vectors (rows, Angstrom), row-major [9]
 * @param frac primitive sites in reduced fractional coordinates, wrapped into [0, 1), [3 * sites]
 * @param types atomic number of each primitive site, [sites]
 * @param toPrimitive the primitive site of each input site, [N]
 * @param toInput P = reduction x basis, row-major [9]: input fractional coordinates are P^T times
 *     reduced ones
 * @param latticePoints number of pure translations of the input cell, zero included (lattice points
 *     per input cell)
 */
record ReducedPrimitiveCell(
        double[] lattice,
        double[] frac,
        int[] types,
        int[] toPrimitive,
        double[] toInput,
        int latticePoints) {

    /**
     * A primitive cell before reduction.
     *
     * @param lattice lattice vectors (rows, Angstrom), row-major [9]
     * @param frac sites in its fractional coordinates, [3 * sites]
     * @param types atomic number of each site, [sites]
     */
    private record Sites(double[] lattice, double[] frac, int[] types) {}

    /**
     * Finds the reduced primitive cell of wrapped sites.
     *
     * @param frac input fractional coordinates wrapped into [0, 1), [3N]
     * @param types atomic numbers, [N]
     * @param m input lattice vectors (rows, Angstrom), row-major [9]
     * @param tol Cartesian tolerance, Angstrom
     */
    static ReducedPrimitiveCell of(double[] frac, int[] types, double[] m, double tol) {
        int n = types.length;
        List<double[]> translations = pureTranslations(frac, types, m, tol);
        int[] toPrimitive = new int[n];
        double[] basis = {
            1, 0, 0, 0, 1, 0, 0, 0, 1
        }; // primitive rows in input fractional coordinates
        Sites primitive;
        if (translations.size() == 1) {
            primitive = new Sites(m, frac, types);
            for (int i = 0; i < n; i++) {
                toPrimitive[i] = i;
            }
        } else {
            snapToTranslationGroup(translations);
            basis = primitiveBasis(translations, m);
            primitive =
                    primitiveSites(
                            frac, types, multiply(basis, m), inverse(basis), toPrimitive, tol);
        }
        return reduce(primitive, basis, toPrimitive, translations.size());
    }

    /**
     * Vectors t (fractional, in [-1/2, 1/2]) that map every site within tol onto a site of its own
     * species: the zero vector first, then one per candidate partner of the reference atom.
     */
    private static List<double[]> pureTranslations(
            double[] frac, int[] types, double[] m, double tol) {
        int ref = referenceAtom(types);
        List<double[]> translations = new ArrayList<>();
        translations.add(new double[3]);
        for (int j = 0; j < types.length; j++) {
            if (j == ref || types[j] != types[ref]) {
                continue;
            }
            double[] t = new double[3];
            for (int k = 0; k < 3; k++) {
                t[k] = frac[3 * j + k] - frac[3 * ref + k];
                t[k] -= Math.rint(t[k]);
            }
            if (permutation(frac, types, m, IDENTITY, t, tol) != null) {
                translations.add(t);
            }
        }
        return translations;
    }

    /**
     * Rounds each translation, in place, to a multiple of 1 / |T|: the translations form a group of
     * order |T|, so |T| t is an integer vector, of which the tolerance-blurred t is an estimate.
     */
    private static void snapToTranslationGroup(List<double[]> translations) {
        int order = translations.size();
        for (double[] t : translations) {
            for (int k = 0; k < 3; k++) {
                t[k] = Math.rint(t[k] * order) / order;
            }
        }
    }

    /**
     * The input sites in primitive fractional coordinates, sites within tol of one of the same
     * species merged; fills {@code toPrimitive} with the primitive site of each input site.
     *
     * @param pm primitive lattice vectors (rows, Angstrom), row-major [9]
     * @param inv inverse of the primitive basis (input to primitive fractional coordinates)
     */
    private static Sites primitiveSites(
            double[] frac, int[] types, double[] pm, double[] inv, int[] toPrimitive, double tol) {
        List<double[]> sites = new ArrayList<>();
        List<Integer> siteTypes = new ArrayList<>();
        for (int i = 0; i < types.length; i++) {
            double[] f = rowTimes(frac, 3 * i, inv);
            wrapInPlace(f);
            int found = -1;
            for (int s = 0; s < sites.size() && found < 0; s++) {
                if (siteTypes.get(s) == types[i] && distance(sites.get(s), 0, f, pm) < tol) {
                    found = s;
                }
            }
            if (found < 0) {
                found = sites.size();
                sites.add(f);
                siteTypes.add(types[i]);
            }
            toPrimitive[i] = found;
        }
        double[] pfrac = new double[3 * sites.size()];
        int[] ptypes = new int[sites.size()];
        for (int s = 0; s < sites.size(); s++) {
            System.arraycopy(sites.get(s), 0, pfrac, 3 * s, 3);
            ptypes[s] = siteTypes.get(s);
        }
        return new Sites(pm, pfrac, ptypes);
    }

    /** Reduces the primitive basis ({@link LatticeReduction}) and re-expresses the sites in it. */
    private static ReducedPrimitiveCell reduce(
            Sites primitive, double[] basis, int[] toPrimitive, int latticePoints) {
        int[] reduction = LatticeReduction.reduce(primitive.lattice());
        double[] rm = multiply(toDouble(reduction), primitive.lattice());
        double[] rInv = inverse(toDouble(reduction));
        double[] pfrac = primitive.frac();
        double[] rfrac = new double[pfrac.length];
        for (int s = 0; s < primitive.types().length; s++) {
            double[] f = rowTimes(pfrac, 3 * s, rInv);
            wrapInPlace(f);
            System.arraycopy(f, 0, rfrac, 3 * s, 3);
        }
        double[] p = multiply(toDouble(reduction), basis);
        return new ReducedPrimitiveCell(
                rm, rfrac, primitive.types(), toPrimitive, p, latticePoints);
    }

    /** Shortest vectors first, then {@link PrimitiveCell#basis(List, int)}. */
    private static double[] primitiveBasis(List<double[]> translations, double[] m) {
        List<double[]> cand = PrimitiveCell.candidates(translations);
        cand.sort((u, v) -> Double.compare(cartLength(u, m), cartLength(v, m)));
        return PrimitiveCell.basis(cand, translations.size());
    }

    /** Length in Angstrom of fractional vector f in lattice m. */
    private static double cartLength(double[] f, double[] m) {
        double x = f[0] * m[0] + f[1] * m[3] + f[2] * m[6];
        double y = f[0] * m[1] + f[1] * m[4] + f[2] * m[7];
        double z = f[0] * m[2] + f[1] * m[5] + f[2] * m[8];
        return Math.sqrt(x * x + y * y + z * z);
    }
}
