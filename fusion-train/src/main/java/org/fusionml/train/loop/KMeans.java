package org.fusionml.train.loop;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.fusionml.data.descriptor.Fingerprint;

/**
 * Seeded k-means++ (Arthur and Vassilvitskii 2007) with Lloyd iterations on fingerprints (squared
 * Euclidean distance of the unit vectors, equivalent to the cosine distance), for FUSION's
 * leave-one-cluster-out splits. Centroids are kept sparse by species pair like the fingerprints.
 */
public final class KMeans {
    private KMeans() {}

    /**
     * Cluster labels 0..k-1 of every fingerprint.
     *
     * @param maxIterations Lloyd iterations at most (stops earlier when no label changes)
     */
    public static int[] cluster(List<Fingerprint> points, int k, long seed, int maxIterations) {
        int n = points.size();
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k (" + k + ") must be in 1.." + n);
        }
        Centroid[] centres = seedCentres(points, k, new SplittableRandom(seed));
        int[] label = new int[n];
        Arrays.fill(label, -1);
        for (int it = 0; it < maxIterations; it++) {
            if (!assign(points, centres, label)) {
                break;
            }
            moveCentres(points, centres, label);
        }
        return label;
    }

    /**
     * k-means++ seeding: the first centre uniformly at random, each further one with probability
     * proportional to the squared distance to its nearest centre so far.
     */
    private static Centroid[] seedCentres(List<Fingerprint> points, int k, SplittableRandom rng) {
        int n = points.size();
        Centroid[] centres = new Centroid[k];
        centres[0] = Centroid.of(points.get(rng.nextInt(n)));
        double[] d2 = new double[n];
        Arrays.fill(d2, Double.POSITIVE_INFINITY);
        for (int c = 1; c < k; c++) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                d2[i] = Math.min(d2[i], centres[c - 1].distance2(points.get(i)));
                total += d2[i];
            }
            double pick = rng.nextDouble() * total;
            int chosen = n - 1;
            for (int i = 0; i < n; i++) {
                pick -= d2[i];
                if (pick < 0) {
                    chosen = i;
                    break;
                }
            }
            centres[c] = Centroid.of(points.get(chosen));
        }
        return centres;
    }

    /**
     * Lloyd's assignment step: labels every point with its nearest centre (the first of equals);
     * returns whether any label changed.
     */
    private static boolean assign(List<Fingerprint> points, Centroid[] centres, int[] label) {
        boolean changed = false;
        for (int i = 0; i < label.length; i++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < centres.length; c++) {
                double d = centres[c].distance2(points.get(i));
                if (d < bestD) {
                    bestD = d;
                    best = c;
                }
            }
            changed |= label[i] != best;
            label[i] = best;
        }
        return changed;
    }

    /** Lloyd's update step: every centre with members moves to their mean. */
    private static void moveCentres(List<Fingerprint> points, Centroid[] centres, int[] label) {
        for (int c = 0; c < centres.length; c++) {
            Centroid next = new Centroid();
            int members = 0;
            for (int i = 0; i < label.length; i++) {
                if (label[i] == c) {
                    next.add(points.get(i));
                    members++;
                }
            }
            if (members > 0) {
                next.scale(1.0 / members);
                centres[c] = next;
            }
        }
    }

    /** A sparse centroid: species-pair key -> block. */
    private static final class Centroid {
        final Map<Integer, double[]> blocks = new HashMap<>();
        double norm2;

        static Centroid of(Fingerprint f) {
            Centroid c = new Centroid();
            c.add(f);
            return c;
        }

        void add(Fingerprint f) {
            for (int p = 0; p < f.pairKeys().length; p++) {
                int from = f.offsets()[p];
                int len = f.offsets()[p + 1] - from;
                double[] b = blocks.computeIfAbsent(f.pairKeys()[p], key -> new double[len]);
                for (int q = 0; q < len; q++) {
                    b[q] += f.values()[from + q];
                }
            }
            updateNorm();
        }

        void scale(double s) {
            for (double[] b : blocks.values()) {
                for (int q = 0; q < b.length; q++) {
                    b[q] *= s;
                }
            }
            updateNorm();
        }

        private void updateNorm() {
            norm2 = 0;
            for (double[] b : blocks.values()) {
                for (double v : b) {
                    norm2 += v * v;
                }
            }
        }

        /** |f - c|^2 = |f|^2 + |c|^2 - 2 f . c with |f| = 1. */
        double distance2(Fingerprint f) {
            double dot = 0;
            for (int p = 0; p < f.pairKeys().length; p++) {
                double[] b = blocks.get(f.pairKeys()[p]);
                if (b != null) {
                    for (int q = 0, a = f.offsets()[p]; q < b.length; q++, a++) {
                        dot += b[q] * f.values()[a];
                    }
                }
            }
            return Math.max(0, 1 + norm2 - 2 * dot);
        }
    }
}
