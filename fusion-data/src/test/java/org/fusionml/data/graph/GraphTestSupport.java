package org.fusionml.data.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;

/** Brute-force references and structure generators for graph tests. */
final class GraphTestSupport {
    private GraphTestSupport() {}

    /**
     * All distances from atom i to every image of every atom within cutoff, ascending (brute
     * force).
     */
    static double[] bruteForceDistances(Structure s, int i, double cutoff, int range) {
        List<Double> out = new ArrayList<>();
        double[] ri = s.cartesian(i);
        for (int j = 0; j < s.size(); j++) {
            double[] rj = s.cartesian(j);
            for (int a = -range; a <= range; a++) {
                for (int b = -range; b <= range; b++) {
                    for (int c = -range; c <= range; c++) {
                        if (i == j && a == 0 && b == 0 && c == 0) {
                            continue;
                        }
                        double sq = 0;
                        for (int k = 0; k < 3; k++) {
                            double v =
                                    rj[k]
                                            + a * s.lattice().get(0, k)
                                            + b * s.lattice().get(1, k)
                                            + c * s.lattice().get(2, k)
                                            - ri[k];
                            sq += v * v;
                        }
                        double d = Math.sqrt(sq);
                        if (d <= cutoff) {
                            out.add(d);
                        }
                    }
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    /**
     * A random triclinic cell with n atoms at least 1 A apart (coordinates may lie outside [0,1)).
     */
    static Structure randomTriclinic(long seed, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        Lattice lattice =
                Lattice.fromParameters(
                        4 + 3 * rng.nextDouble(),
                        4 + 3 * rng.nextDouble(),
                        5 + 3 * rng.nextDouble(),
                        70 + 40 * rng.nextDouble(),
                        75 + 30 * rng.nextDouble(),
                        65 + 50 * rng.nextDouble());
        List<Site> sites = new ArrayList<>();
        String[] symbols = {"Mo", "S", "O", "Na"};
        while (sites.size() < n) {
            double[] f = {
                rng.nextDouble() * 2 - 0.5, rng.nextDouble() * 2 - 0.5, rng.nextDouble() * 2 - 0.5
            };
            Structure trial =
                    new Structure(
                            lattice,
                            append(sites, new Site(Element.of(symbols[sites.size() % 4]), f)));
            if (NeighborSearch.find(trial, 1.0).size() == 0) {
                sites = new ArrayList<>(trial.sites());
            }
        }
        return new Structure(lattice, sites);
    }

    private static List<Site> append(List<Site> sites, Site s) {
        List<Site> out = new ArrayList<>(sites);
        out.add(s);
        return out;
    }

    /** A proper rotation about a unit axis by angle (radians). */
    static double[][] rotation(double[] axis, double angle) {
        double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
        double x = axis[0] / n;
        double y = axis[1] / n;
        double z = axis[2] / n;
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        double t = 1 - c;
        return new double[][] {
            {t * x * x + c, t * x * y - s * z, t * x * z + s * y},
            {t * x * y + s * z, t * y * y + c, t * y * z - s * x},
            {t * x * z - s * y, t * y * z + s * x, t * z * z + c},
        };
    }

    static double[] sorted(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}
