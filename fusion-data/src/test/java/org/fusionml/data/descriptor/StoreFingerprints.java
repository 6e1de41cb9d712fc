package org.fusionml.data.descriptor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Random fingerprints of the layout {@link FingerprintBuilder} writes, for the store's tests. */
final class StoreFingerprints {
    /** Small SOAP settings: blocks of 6 (same species) and 8 (cross species) values. */
    static final SoapConfig CONFIG = new SoapConfig(4.0, 2, 1, 0.5, true);

    private static final int[] ELEMENTS = {1, 3, 7, 8, 9, 16, 22, 38, 56, 74};

    private StoreFingerprints() {}

    /**
     * {@code bases} random structures over 1-4 of ten elements, each followed by {@code copies}
     * near-copies (each value moved by up to {@code noise}, then normalised); values of both signs.
     */
    static List<Fingerprint> families(int bases, int copies, double noise, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Fingerprint> out = new ArrayList<>();
        for (int b = 0; b < bases; b++) {
            int k = 1 + rng.nextInt(4);
            int[] species =
                    rng.ints(0, ELEMENTS.length)
                            .distinct()
                            .limit(k)
                            .map(e -> ELEMENTS[e])
                            .sorted()
                            .toArray();
            Fingerprint base = random(species, rng);
            out.add(base);
            for (int c = 0; c < copies; c++) {
                double[] v = base.values().clone();
                for (int q = 0; q < v.length; q++) {
                    v[q] += rng.nextDouble(-noise, noise);
                }
                out.add(new Fingerprint(base.pairKeys(), base.offsets(), normalised(v)));
            }
        }
        // Interleave the families, as a dataset in no particular order.
        List<Fingerprint> shuffled = new ArrayList<>(out);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            Fingerprint t = shuffled.get(i);
            shuffled.set(i, shuffled.get(j));
            shuffled.set(j, t);
        }
        return shuffled;
    }

    /** A unit fingerprint with every pair of {@code species} (ascending Z). */
    static Fingerprint random(int[] species, SplittableRandom rng) {
        List<Integer> keys = new ArrayList<>();
        for (int a = 0; a < species.length; a++) {
            for (int c = a; c < species.length; c++) {
                keys.add(Fingerprint.pairKey(species[a], species[c]));
            }
        }
        int[] k = keys.stream().mapToInt(Integer::intValue).sorted().toArray();
        int[] offs = new int[k.length + 1];
        for (int p = 0; p < k.length; p++) {
            offs[p + 1] =
                    offs[p]
                            + (k[p] / 256 == k[p] % 256
                                    ? CONFIG.sameSpeciesBlock()
                                    : CONFIG.crossSpeciesBlock());
        }
        double[] v = new double[offs[k.length]];
        for (int q = 0; q < v.length; q++) {
            v[q] = rng.nextDouble(-0.3, 1);
        }
        return new Fingerprint(k, offs, normalised(v));
    }

    static double[] normalised(double[] v) {
        double s = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
        return Arrays.stream(v).map(x -> x / s).toArray();
    }
}
