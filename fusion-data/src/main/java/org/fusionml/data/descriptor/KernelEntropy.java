package org.fusionml.data.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Information entropy of a set of atomic environments with a Gaussian kernel (QUESTS, Schwalbe-Koda
 * et al. 2025), all in nats.
 *
 * <p>With K(x, y) = exp(-|x - y|^2 / (2 h^2)) and the unnormalised kernel density p_X(y) = sum_j
 * K(y, x_j):
 *
 * <ul>
 *   <li>dataset entropy H(X) = -(1/N) sum_i ln(p_X(x_i) / N) (self terms included);
 *   <li>differential entropy of a new environment dH(y | X) = -ln p_X(y) (not divided by N);
 *   <li>diversity D(X) = ln sum_i 1 / p_X(x_i).
 * </ul>
 *
 * <p>The N x M kernel matrix is never stored: rows are cut into tiles of {@value #TILE}, one tile
 * of Gram products at a time per thread, and the squared distance is |x|^2 + |y|^2 - 2 x.y clipped
 * at 0 (as QUESTS computes it). Each row's sum is accumulated by one thread in a fixed tile order,
 * so the result does not depend on the thread count. Pairs whose exponent is below -746, where exp
 * underflows to exactly 0, skip the exponential; denormal kernels are kept, as in QUESTS.
 *
 * @param bandwidth h, in descriptor units (QUESTS default 0.015 1/Angstrom)
 * @param threads worker threads, >= 1
 */
public record KernelEntropy(double bandwidth, int threads) {
    private static final int TILE = 256;
    private static final GramKernel KERNEL = GramKernel.preferred();

    public KernelEntropy {
        if (!(bandwidth > 0) || !Double.isFinite(bandwidth)) {
            throw new IllegalArgumentException(
                    "bandwidth (" + bandwidth + ") must be a positive number");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads (" + threads + ") must be >= 1");
        }
    }

    /** Bandwidth 0.015 (QUESTS's default) on every available processor. */
    public static KernelEntropy defaults() {
        return new KernelEntropy(0.015, Runtime.getRuntime().availableProcessors());
    }

    /** H(X) = -(1/N) sum_i ln(p_X(x_i) / N), nats. */
    public double entropy(double[][] x) {
        double[] p = kernelSum(x, x);
        double sum = 0;
        for (double v : p) {
            sum += Math.log(v / x.length);
        }
        return -sum / x.length;
    }

    /** D(X) = ln sum_i 1 / p_X(x_i). */
    public double diversity(double[][] x) {
        double sum = 0;
        for (double v : kernelSum(x, x)) {
            sum += 1 / v;
        }
        return Math.log(sum);
    }

    /**
     * dH(y_i | X) = -ln p_X(y_i) for every row of {@code y}, nats (+infinity where every kernel
     * underflows).
     */
    public double[] deltaEntropy(double[][] y, double[][] reference) {
        double[] p = kernelSum(y, reference);
        for (int i = 0; i < p.length; i++) {
            p[i] = -Math.log(p[i]);
        }
        return p;
    }

    /**
     * p_X(y_i) = sum_j exp(-|y_i - x_j|^2 / (2 h^2)) for every row of {@code y}.
     *
     * @param y [M][d] query environments
     * @param x [N][d] reference environments
     * @return [M] unnormalised kernel sums
     */
    public double[] kernelSum(double[][] y, double[][] x) {
        double[] out = new double[y.length];
        if (y.length == 0 || x.length == 0) {
            return out;
        }
        int width = y[0].length;
        List<Packed> rows = Packed.tiles(y, width, false);
        List<Packed> cols = Packed.tiles(x, width, true);
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, rows.size());
        Workers.run(
                workers,
                () -> {
                    double[] gram = new double[TILE * TILE];
                    for (int t = next.getAndIncrement();
                            t < rows.size();
                            t = next.getAndIncrement()) {
                        Packed a = rows.get(t);
                        for (Packed b : cols) {
                            accumulate(a, b, width, gram, out);
                        }
                    }
                    return null;
                },
                "kernel sum");
        return out;
    }

    private void accumulate(Packed a, Packed b, int width, double[] gram, double[] out) {
        int na = a.rows.length;
        int nb = b.rows.length;
        Arrays.fill(gram, 0, na * TILE, 0);
        KERNEL.multiply(a.values, a.rows, b.values, b.rows, width, gram, TILE);
        double h = bandwidth;
        double skip = 1500 * h * h; // exponent < -750: exp is exactly 0
        for (int i = 0; i < na; i++) {
            double sum = 0;
            double ni = a.norms[i];
            for (int j = 0; j < nb; j++) {
                double d2 = ni + b.norms[j] - 2 * gram[i * TILE + j];
                if (d2 < skip) {
                    double z = (d2 > 0 ? Math.sqrt(d2) : 0) / h;
                    sum += Math.exp(-0.5 * (z * z));
                }
            }
            out[a.start + i] += sum;
        }
    }

    /** One tile of rows, packed row-major (queries) or transposed and padded (references). */
    private record Packed(int start, int[] rows, double[] values, double[] norms) {
        static List<Packed> tiles(double[][] m, int width, boolean transposed) {
            List<Packed> out = new ArrayList<>();
            for (int start = 0; start < m.length; start += TILE) {
                int n = Math.min(TILE, m.length - start);
                int pad = GramKernel.padded(n);
                int[] rows = new int[n];
                double[] values = new double[transposed ? width * pad : n * width];
                double[] norms = new double[n];
                for (int i = 0; i < n; i++) {
                    double[] r = m[start + i];
                    if (r.length != width) {
                        throw new IllegalArgumentException(
                                "environment "
                                        + (start + i)
                                        + " has "
                                        + r.length
                                        + " values, expected "
                                        + width);
                    }
                    rows[i] = i;
                    double s = 0;
                    for (int c = 0; c < width; c++) {
                        values[transposed ? c * pad + i : i * width + c] = r[c];
                        s += r[c] * r[c];
                    }
                    norms[i] = s;
                }
                out.add(new Packed(start, rows, values, norms));
            }
            return out;
        }
    }
}
