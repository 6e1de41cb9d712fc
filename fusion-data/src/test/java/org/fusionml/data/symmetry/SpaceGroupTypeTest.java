package org.fusionml.data.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SpaceGroupTypeTest {
    @Test
    void hallSymbolsGenerateGroupsOfTheRightOrder() {
        assertEquals(230, SpaceGroupType.all().size());
        assertEquals(48 * 4, HallSymbol.operations("-F 4 2 3").size());
        assertEquals(12 * 3, HallSymbol.operations("-R 3 2\"").size());
        assertEquals(16, HallSymbol.operations("P 4ab 2ab -1ab").size());
        assertEquals(24, HallSymbol.operations("-P 6c 2c").size());
        assertEquals(4, HallSymbol.operations("P 2ac 2ab").size());
    }

    @Test
    void onlyTheTwoPairsWithEqualSymmetryElementsShareASignature() {
        assertEquals(
                List.of(List.of(23, 24), List.of(197, 199)),
                SpaceGroupType.ambiguousSignatures().stream()
                        .sorted((a, b) -> a.get(0) - b.get(0))
                        .toList());
    }

    /**
     * Every type is recognised in random settings: a random unimodular change of basis of the
     * primitive lattice and a random origin shift applied to its operations.
     */
    @Test
    void everyTypeIsIdentifiedInRandomSettings() {
        SplittableRandom rng = new SplittableRandom(7);
        for (SpaceGroupType type : SpaceGroupType.all()) {
            List<int[]> rots = new ArrayList<>();
            List<double[]> trans = new ArrayList<>();
            primitive(type.hall(), rots, trans);
            for (int trial = 0; trial < 3; trial++) {
                int[] q = randomUnimodular(rng);
                int[] qInv = inverse(q);
                double[] shift = {
                    rng.nextInt(24) / 24.0, rng.nextInt(24) / 24.0, rng.nextInt(24) / 24.0
                };
                List<int[]> r2 = new ArrayList<>();
                List<double[]> t2 = new ArrayList<>();
                for (int k = 0; k < rots.size(); k++) {
                    // x' = Q x: R' = Q R Q^-1, t' = Q t, then the origin moves by s: t'' = t' + s -
                    // R' s.
                    int[] r = IntMath.multiply(IntMath.multiply(q, rots.get(k)), qInv);
                    double[] t = times(q, trans.get(k));
                    double[] rs = times(r, shift);
                    r2.add(r);
                    t2.add(
                            new double[] {
                                t[0] + shift[0] - rs[0],
                                t[1] + shift[1] - rs[1],
                                t[2] + shift[2] - rs[2]
                            });
                }
                assertEquals(type, SpaceGroupType.identify(r2, t2), type + " trial " + trial);
            }
        }
    }

    private static void primitive(String hall, List<int[]> rots, List<double[]> trans) {
        List<double[]> lattice = new ArrayList<>();
        lattice.add(new double[3]);
        for (int[] c : HallSymbol.centring(hall)) {
            lattice.add(new double[] {c[0] / 12.0, c[1] / 12.0, c[2] / 12.0});
        }
        double[] pt = PrimitiveCell.transpose(PrimitiveCell.basis(lattice));
        double[] ptInv = SpaceGroupFinder.inverse(pt);
        Set<String> seen = new HashSet<>();
        for (HallSymbol.Op op : HallSymbol.operations(hall)) {
            double[] rd = new double[9];
            for (int k = 0; k < 9; k++) {
                rd[k] = op.rotation()[k];
            }
            double[] rp = SpaceGroupFinder.multiply(SpaceGroupFinder.multiply(ptInv, rd), pt);
            int[] ri = new int[9];
            for (int k = 0; k < 9; k++) {
                ri[k] = (int) Math.rint(rp[k]);
            }
            if (seen.add(Arrays.toString(ri))) {
                double[] t = {
                    op.twelfths()[0] / 12.0, op.twelfths()[1] / 12.0, op.twelfths()[2] / 12.0
                };
                rots.add(ri);
                trans.add(
                        new double[] {
                            ptInv[0] * t[0] + ptInv[1] * t[1] + ptInv[2] * t[2],
                            ptInv[3] * t[0] + ptInv[4] * t[1] + ptInv[5] * t[2],
                            ptInv[6] * t[0] + ptInv[7] * t[1] + ptInv[8] * t[2]
                        });
            }
        }
    }

    private static int[] randomUnimodular(SplittableRandom rng) {
        int[] m = IntMath.identity();
        for (int step = 0; step < 6; step++) {
            int i = rng.nextInt(3);
            int j = (i + 1 + rng.nextInt(2)) % 3;
            int f = rng.nextBoolean() ? 1 : -1;
            int[] e = IntMath.identity();
            e[3 * i + j] = f;
            m = IntMath.multiply(e, m);
        }
        return m;
    }

    private static int[] inverse(int[] m) {
        double[] d = new double[9];
        for (int k = 0; k < 9; k++) {
            d[k] = m[k];
        }
        double[] inv = SpaceGroupFinder.inverse(d);
        int[] out = new int[9];
        for (int k = 0; k < 9; k++) {
            out[k] = (int) Math.rint(inv[k]);
        }
        return out;
    }

    private static double[] times(int[] r, double[] v) {
        return new double[] {
            r[0] * v[0] + r[1] * v[1] + r[2] * v[2],
            r[3] * v[0] + r[4] * v[1] + r[5] * v[2],
            r[6] * v[0] + r[7] * v[1] + r[8] * v[2]
        };
    }
}
