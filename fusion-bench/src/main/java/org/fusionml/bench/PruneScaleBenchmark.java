package org.fusionml.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.FingerprintStore;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.descriptor.StoreNearestNeighbors;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.symmetry.SpaceGroupFinder;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.score.FusionScorer;
import org.fusionml.train.score.ScoreSettings;
import org.fusionml.train.score.Scores;

/**
 * FUSION's pruning at scale: n fingerprints of perturbed copies of a dataset's structures (row r is
 * a copy of structure r mod size, its lattice strained by a symmetric strain with components
 * uniform in +-{@value #STRAIN}, its atoms moved by Gaussian displacements of {@value #RATTLE}
 * Angstrom per component, seeded per row), streamed to a {@link FingerprintStore} (float32); then W
 * (Eq. 5) by the exact {@link StoreNearestNeighbors} search over the memory-mapped file, I = U / W
 * (Eq. 6) with U (Eq. 3) from seeded NIG parameters (no surrogate is trained: a million surrogate
 * predictions are not what is measured), and Eq. 7 at four ratios with the epsilon round trip. Each
 * stage prints {@code bench prune_scale stage=... n=... wall_s=... peak_rss_mib=...}, the peak
 * being the process's VmHWM so far (heap, native memory and mapped file pages that were resident).
 */
public final class PruneScaleBenchmark {
    static final double STRAIN = 0.02;
    static final double RATTLE = 0.05;

    private PruneScaleBenchmark() {}

    /**
     * Runs the stages.
     *
     * @param bases the structures that are copied
     * @param n rows
     * @param store the store file; an existing one written for the same n, seed and bases is reused
     *     (its fingerprint stage is skipped)
     * @param verify rows whose nearest neighbour is checked against a scan of every row (0: none)
     */
    public static void run(
            CrystalDataset bases,
            int n,
            long seed,
            int threads,
            Path store,
            long chunkBytes,
            int verify,
            PrintWriter out)
            throws IOException {
        FingerprintBuilder builder = FingerprintBuilder.fusionDefault();
        String key =
                FingerprintStore.settingsKey(builder.config(), SpaceGroupFinder.DEFAULT_SYMPREC)
                        + String.format(
                                Locale.ROOT,
                                " prune-scale source=%s n=%d seed=%d strain=%s rattle=%s",
                                bases.provenance().sha256(),
                                n,
                                seed,
                                STRAIN,
                                RATTLE);
        boolean reuse = matches(store, key, n);
        long t0 = System.nanoTime();
        if (!reuse) {
            FingerprintStore.write(
                    store,
                    key,
                    builder.config(),
                    FingerprintStore.Precision.FLOAT32,
                    0,
                    n,
                    n,
                    r -> builder.build(perturbed(bases, r, seed)),
                    threads,
                    done -> {});
        }
        double fpSeconds = seconds(t0);
        line(
                out,
                "fingerprint",
                n,
                fpSeconds,
                String.format(
                        Locale.ROOT,
                        "reused=%s threads=%d precision=float32 file_mib=%.0f bases=%d",
                        reuse,
                        threads,
                        Files.size(store) / 1048576.0,
                        bases.size()));

        long t1 = System.nanoTime();
        StoreNearestNeighbors.Outcome nn;
        try (FingerprintStore s = FingerprintStore.open(store, chunkBytes)) {
            nn = StoreNearestNeighbors.search(s, threads);
            double wSeconds = seconds(t1);
            double allPairs = (double) n * (n - 1) / 2;
            line(
                    out,
                    "W",
                    n,
                    wSeconds,
                    String.format(
                            Locale.ROOT,
                            "threads=%d chunks=%d groups=%d rounds=%d dots=%d"
                                    + " fraction_of_all_pairs=%.3g",
                            threads,
                            s.chunks(),
                            nn.groups(),
                            nn.rounds(),
                            nn.dots(),
                            nn.dots() / allPairs));
            if (verify > 0) {
                verify(s, nn.result(), verify, seed, out);
            }
        }

        long t2 = System.nanoTime();
        double[] u = uncertainties(n, seed);
        FusionScorer.Table scores = FusionScorer.score(u, nn.result(), ScoreSettings.defaults());
        double[] w = scores.weighting();
        double meanW = 0;
        for (double x : w) {
            meanW += x / n;
        }
        line(
                out,
                "I",
                n,
                seconds(t2),
                String.format(Locale.ROOT, "gamma=1 weighting=cosine mean_w=%.6f", meanW));

        long t3 = System.nanoTime();
        double[] inf = scores.influence();
        StringBuilder removed = new StringBuilder();
        for (double r : new double[] {0.2, 0.4, 0.6, 0.8}) {
            double eps = PruningOptimizer.epsilonForRatio(inf, r);
            int k = PruningOptimizer.removeForEpsilon(inf, eps).length;
            int byRatio = PruningOptimizer.removeForRatio(inf, r).length;
            if (k != byRatio) {
                throw new IllegalStateException(
                        "ratio " + r + ": epsilon removes " + k + ", the ratio " + byRatio);
            }
            removed.append(
                    String.format(Locale.ROOT, " removed_r%.1f=%d eps_r%.1f=%.6g", r, k, r, eps));
        }
        line(out, "eq7", n, seconds(t3), "ratios=0.2,0.4,0.6,0.8" + removed);
    }

    /** Row r: a strained and rattled copy of structure r mod size, seeded by (seed, r). */
    public static Structure perturbed(CrystalDataset bases, int r, long seed) {
        Structure s = bases.get(r % bases.size()).structure();
        SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + r);
        double[][] eps = new double[3][3];
        for (int a = 0; a < 3; a++) {
            for (int b = a; b < 3; b++) {
                eps[a][b] = rng.nextDouble(-STRAIN, STRAIN);
                eps[b][a] = eps[a][b];
            }
        }
        double[][] m = s.lattice().matrix();
        double[][] strained = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int k = 0; k < 3; k++) {
                double v = m[i][k];
                for (int j = 0; j < 3; j++) {
                    v += m[i][j] * eps[j][k];
                }
                strained[i][k] = v;
            }
        }
        Lattice lattice = Lattice.of(strained);
        List<Site> sites = new ArrayList<>(s.size());
        for (Site site : s.sites()) {
            double[] cart = lattice.toCartesian(site.frac());
            for (int k = 0; k < 3; k++) {
                cart[k] += RATTLE * rng.nextGaussian();
            }
            sites.add(new Site(site.element(), lattice.toFractional(cart)));
        }
        return new Structure(lattice, sites);
    }

    /** U (Eq. 3) of n structures from seeded NIG parameters: nu, alpha - 1, beta log-uniform. */
    static double[] uncertainties(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] nu = new double[n];
        double[] alpha = new double[n];
        double[] beta = new double[n];
        for (int i = 0; i < n; i++) {
            nu[i] = Math.exp(rng.nextDouble(-3, 3));
            alpha[i] = 1 + Math.exp(rng.nextDouble(-3, 3));
            beta[i] = Math.exp(rng.nextDouble(-3, 3));
        }
        return Scores.uncertainty(nu, alpha, beta, 0, 1);
    }

    /**
     * The nearest neighbours of {@code sample} seeded rows against a scan of every row (all pairs
     * of those rows, chunk by chunk): the {@code bench prune_scale stage=verify} line.
     */
    private static void verify(
            FingerprintStore s, NearestNeighbors.Result got, int sample, long seed, PrintWriter out)
            throws IOException {
        long t = System.nanoTime();
        int n = s.size();
        SplittableRandom rng = new SplittableRandom(seed + 17);
        int[] rows = rng.ints(0, n).distinct().limit(Math.min(sample, n)).sorted().toArray();
        Fingerprint[] fs = new Fingerprint[rows.length];
        for (int c = 0; c < s.chunks(); c++) {
            try (FingerprintStore.Chunk k = s.chunk(c)) {
                for (int q = 0; q < rows.length; q++) {
                    if (rows[q] >= k.start() && rows[q] < k.end()) {
                        fs[q] = k.fingerprint(rows[q]);
                    }
                }
            }
        }
        double[] best = new double[rows.length];
        int[] arg = new int[rows.length];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        Arrays.fill(arg, -1);
        for (int c = 0; c < s.chunks(); c++) {
            try (FingerprintStore.Chunk k = s.chunk(c)) {
                for (int j = k.start(); j < k.end(); j++) {
                    Fingerprint fj = k.fingerprint(j);
                    for (int q = 0; q < rows.length; q++) {
                        if (rows[q] == j) {
                            continue;
                        }
                        double d = fs[q].dot(fj);
                        if (d > best[q]) {
                            best[q] = d;
                            arg[q] = j;
                        }
                    }
                }
            }
        }
        int same = 0;
        double maxWDiff = 0;
        for (int q = 0; q < rows.length; q++) {
            int i = rows[q];
            if (arg[q] == got.neighbor()[i]) {
                same++;
            }
            double wScan = Math.exp(-(1 - best[q]));
            double wSearch = Math.exp(-got.cosineDistance()[i]);
            maxWDiff = Math.max(maxWDiff, Math.abs(wScan - wSearch));
        }
        line(
                out,
                "verify",
                n,
                seconds(t),
                String.format(
                        Locale.ROOT,
                        "sample=%d same_neighbour=%d max_abs_w_diff=%.3g",
                        rows.length,
                        same,
                        maxWDiff));
    }

    private static boolean matches(Path store, String key, int n) {
        if (!Files.exists(store)) {
            return false;
        }
        try (FingerprintStore s = FingerprintStore.open(store)) {
            return s.size() == n && s.hasKey(key);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) * 1e-9;
    }

    private static void line(PrintWriter out, String stage, int n, double wall, String rest) {
        out.printf(
                Locale.ROOT,
                "bench prune_scale stage=%s n=%d wall_s=%.2f peak_rss_mib=%d rss_mib=%d %s%n",
                stage,
                n,
                wall,
                status("VmHWM:") / 1024,
                status("VmRSS:") / 1024,
                rest);
        out.flush();
    }

    /** A field of /proc/self/status in kB, -1 where there is none (not Linux). */
    static long status(String field) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(field)) {
                    return Long.parseLong(l.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
