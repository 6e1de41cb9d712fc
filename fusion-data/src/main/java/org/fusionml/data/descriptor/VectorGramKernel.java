package org.fusionml.data.descriptor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD {@link GramKernel}: C[i, j..j+L) += a_ik B^T[k, j..j+L) for four rows i and two vectors of
 * columns at a time, eight vector accumulators, no horizontal reductions.
 */
final class VectorGramKernel implements GramKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int L = S.length(); // 4 lanes; padded() keeps rows a multiple of 8 = 2 L
    private static final ScalarGramKernel SCALAR = new ScalarGramKernel();

    @Override
    public String name() {
        return "vector" + S.vectorBitSize();
    }

    @Override
    public void multiply(
            double[] a, int[] ra, double[] bt, int[] rb, int w, double[] gram, int stride) {
        int na = ra.length;
        int nb = rb.length;
        int pad = GramKernel.padded(nb);
        if (na < 4 || nb < 2 * L) {
            // Tiny blocks (a cation pair shared by a few structures): padding would waste most
            // lanes.
            SCALAR.multiply(a, ra, bt, rb, w, gram, stride);
            return;
        }
        double[] out = new double[8 * L];
        for (int i = 0; i < na; i += 4) {
            int a0 = i * w;
            int a1 = Math.min(i + 1, na - 1) * w;
            int a2 = Math.min(i + 2, na - 1) * w;
            int a3 = Math.min(i + 3, na - 1) * w;
            for (int j = 0; j < nb; j += 2 * L) {
                DoubleVector c00 = DoubleVector.zero(S);
                DoubleVector c01 = c00;
                DoubleVector c10 = c00;
                DoubleVector c11 = c00;
                DoubleVector c20 = c00;
                DoubleVector c21 = c00;
                DoubleVector c30 = c00;
                DoubleVector c31 = c00;
                for (int k = 0; k < w; k++) {
                    int bo = k * pad + j;
                    DoubleVector b0 = DoubleVector.fromArray(S, bt, bo);
                    DoubleVector b1 = DoubleVector.fromArray(S, bt, bo + L);
                    DoubleVector y0 = DoubleVector.broadcast(S, a[a0 + k]);
                    DoubleVector y1 = DoubleVector.broadcast(S, a[a1 + k]);
                    DoubleVector y2 = DoubleVector.broadcast(S, a[a2 + k]);
                    DoubleVector y3 = DoubleVector.broadcast(S, a[a3 + k]);
                    c00 = y0.fma(b0, c00);
                    c01 = y0.fma(b1, c01);
                    c10 = y1.fma(b0, c10);
                    c11 = y1.fma(b1, c11);
                    c20 = y2.fma(b0, c20);
                    c21 = y2.fma(b1, c21);
                    c30 = y3.fma(b0, c30);
                    c31 = y3.fma(b1, c31);
                }
                c00.intoArray(out, 0);
                c01.intoArray(out, L);
                c10.intoArray(out, 2 * L);
                c11.intoArray(out, 3 * L);
                c20.intoArray(out, 4 * L);
                c21.intoArray(out, 5 * L);
                c30.intoArray(out, 6 * L);
                c31.intoArray(out, 7 * L);
                for (int r = 0; r < 4 && i + r < na; r++) {
                    int g = ra[i + r] * stride;
                    for (int c = 0; c < 2 * L && j + c < nb; c++) {
                        gram[g + rb[j + c]] += out[r * 2 * L + c];
                    }
                }
            }
        }
    }
}
