package org.fusionml.data.descriptor;

/**
 * The inner kernel of {@link NearestNeighbors}: gram[ra[i] * stride + rb[j]] += A_i . B_j for a
 * packed row-major block A [ra.length, w] and a transposed, column-padded block B^T [w, pad], pad =
 * {@link #padded}(rb.length), zeros in the padding.
 *
 * <p>Two implementations give the same sums up to round-off: {@link VectorGramKernel}, rank-1
 * updates on SIMD registers through the incubating {@code jdk.incubator.vector} module (about 4x
 * the scalar speed with AVX-512), used when the JVM runs with {@code --add-modules
 * jdk.incubator.vector} as the {@code fusion} launcher and the tests do; and {@link
 * ScalarGramKernel} otherwise. {@link #preferred()} says which one runs, and the choice is logged.
 */
interface GramKernel {
    void multiply(double[] a, int[] ra, double[] bt, int[] rb, int w, double[] gram, int stride);

    /** A short name for logs and benchmark lines. */
    String name();

    /** Columns of a transposed block of {@code n} rows, rounded up to a multiple of 8. */
    static int padded(int n) {
        return (n + 7) & ~7;
    }

    /** The vector kernel where the module is available, else the scalar one. */
    static GramKernel preferred() {
        return Holder.PREFERRED;
    }

    /** Resolves the kernel once. */
    final class Holder {
        static final GramKernel PREFERRED = choose();

        private Holder() {}

        private static GramKernel choose() {
            boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
            GramKernel k = vector ? new VectorGramKernel() : new ScalarGramKernel();
            System.getLogger(GramKernel.class.getName())
                    .log(
                            vector ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                            "fingerprint nearest-neighbour kernel: "
                                    + k.name()
                                    + (vector
                                            ? ""
                                            : " (run with --add-modules jdk.incubator.vector for"
                                                    + " SIMD)"));
            return k;
        }
    }
}
