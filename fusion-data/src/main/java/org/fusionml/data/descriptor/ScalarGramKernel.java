package org.fusionml.data.descriptor;

/** Plain-Java {@link GramKernel}: four rows of A by two columns of B^T (8 accumulators). */
final class ScalarGramKernel implements GramKernel {
    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void multiply(
            double[] a, int[] ra, double[] bt, int[] rb, int w, double[] gram, int stride) {
        int na = ra.length;
        int nb = rb.length;
        int pad = GramKernel.padded(nb);
        if (na < 4) {
            for (int i = 0; i < na; i++) {
                for (int j = 0; j < nb; j++) {
                    double sum = 0;
                    for (int k = 0; k < w; k++) {
                        sum += a[i * w + k] * bt[k * pad + j];
                    }
                    gram[ra[i] * stride + rb[j]] += sum;
                }
            }
            return;
        }
        for (int i = 0; i < na; i += 4) {
            int a0 = i * w;
            int a1 = Math.min(i + 1, na - 1) * w;
            int a2 = Math.min(i + 2, na - 1) * w;
            int a3 = Math.min(i + 3, na - 1) * w;
            for (int j = 0; j < nb; j += 2) {
                double s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
                for (int k = 0; k < w; k++) {
                    double x0 = bt[k * pad + j];
                    double x1 = bt[k * pad + j + 1]; // padding keeps j + 1 inside the row
                    double y0 = a[a0 + k];
                    double y1 = a[a1 + k];
                    double y2 = a[a2 + k];
                    double y3 = a[a3 + k];
                    s00 += y0 * x0;
                    s01 += y0 * x1;
                    s10 += y1 * x0;
                    s11 += y1 * x1;
                    s20 += y2 * x0;
                    s21 += y2 * x1;
                    s30 += y3 * x0;
                    s31 += y3 * x1;
                }
                double[] s = {s00, s01, s10, s11, s20, s21, s30, s31};
                for (int r = 0; r < 4 && i + r < na; r++) {
                    for (int c = 0; c < 2 && j + c < nb; c++) {
                        gram[ra[i + r] * stride + rb[j + c]] += s[2 * r + c];
                    }
                }
            }
        }
    }
}
