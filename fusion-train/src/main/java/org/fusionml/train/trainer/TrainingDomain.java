package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.structure.Structure;
import org.fusionml.data.symmetry.SpaceGroupFinder;

/**
 * The training domain of a saved model: which structures it was trained on and how far apart they
 * lie, so that a prediction can say whether its structure is like them.
 *
 * <p>Distance: the cosine distance d(x, y) = 1 - F(x) . F(y) between fingerprints F (FUSION Eq. 4,
 * SOAP power spectra averaged over the sites, unit norm; the distance of Eq. 5). For every training
 * structure, its leave-one-out nearest-neighbour distance is min over the other training structures
 * of d; the threshold is the {@value #PERCENTILE}th percentile of these distances (linear
 * interpolation between order statistics, numpy's default). A new structure whose distance to the
 * nearest training structure exceeds the threshold is out of domain: farther from the training set
 * than 99 % of the training structures are from the rest of it.
 *
 * <p>The fingerprints themselves are not stored (28 kB per perovskite; 400 MB for a
 * 15,000-structure training part): the training ids are, and {@code fusion predict} recomputes the
 * fingerprints from the training data named by the model's provenance (checked by SHA-256), then
 * checks that they give the stored threshold again.
 *
 * @param rCut SOAP cutoff, Angstrom
 * @param nMax SOAP radial functions
 * @param lMax SOAP largest degree
 * @param sigma SOAP Gaussian width, Angstrom
 * @param symprec symmetry tolerance of the fingerprints, Angstrom
 * @param percentile percentile of the leave-one-out distances that is the threshold
 * @param threshold the threshold, cosine distance (dimensionless, in [0, 2])
 * @param trainIds ids of the training structures, in training order
 */
public record TrainingDomain(
        @JsonProperty("r_cut") double rCut,
        @JsonProperty("n_max") int nMax,
        @JsonProperty("l_max") int lMax,
        @JsonProperty("sigma") double sigma,
        @JsonProperty("symprec") double symprec,
        @JsonProperty("percentile") double percentile,
        @JsonProperty("threshold") double threshold,
        @JsonProperty("train_ids") List<String> trainIds) {
    /** The percentile of the training structures' leave-one-out distances used as threshold. */
    public static final double PERCENTILE = 99;

    public TrainingDomain {
        trainIds = List.copyOf(trainIds);
    }

    /**
     * The domain of {@code structures} (ids {@code ids}) with FUSION's fingerprint settings (SOAP
     * r_cut 5, n_max 8, l_max 6, sigma 0.5; symprec 0.01).
     *
     * @throws IllegalArgumentException for fewer than two structures (no leave-one-out distance)
     */
    public static TrainingDomain of(List<String> ids, List<Structure> structures, int threads) {
        FingerprintBuilder builder = FingerprintBuilder.fusionDefault();
        double threshold = threshold(fingerprints(builder, structures), threads);
        SoapConfig c = builder.config();
        return new TrainingDomain(
                c.rCut(),
                c.nMax(),
                c.lMax(),
                c.sigma(),
                SpaceGroupFinder.DEFAULT_SYMPREC,
                PERCENTILE,
                threshold,
                ids);
    }

    /** The builder of this domain's fingerprints. */
    public FingerprintBuilder builder() {
        return new FingerprintBuilder(new SoapConfig(rCut, nMax, lMax, sigma, true), symprec);
    }

    /** Fingerprints of {@code structures}, in order (built in parallel). */
    public static List<Fingerprint> fingerprints(
            FingerprintBuilder builder, List<Structure> structures) {
        return structures.parallelStream().map(builder::build).toList();
    }

    /** The {@link #PERCENTILE}th percentile of the leave-one-out nearest-neighbour distances. */
    static double threshold(List<Fingerprint> train, int threads) {
        if (train.size() < 2) {
            throw new IllegalArgumentException(
                    "a training domain needs at least 2 structures, got " + train.size());
        }
        return quantile(NearestNeighbors.search(train, threads).cosineDistance(), PERCENTILE / 100);
    }

    /**
     * The q-quantile by linear interpolation between order statistics at position q (n - 1)
     * (numpy's default, Hyndman-Fan type 7).
     */
    static double quantile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (pos - lo) * (s[hi] - s[lo]);
    }

    /**
     * The training fingerprints, ready to measure new structures against.
     *
     * @param fingerprints [n train] fingerprints of {@link #trainIds}, in order
     */
    public record Reference(TrainingDomain domain, List<Fingerprint> fingerprints) {
        /**
         * For every fingerprint of {@code queries}: the index (into {@link #trainIds}) of the
         * nearest training structure and the cosine distance to it. Exact (every training structure
         * is compared); ties go to the smallest index.
         */
        public Nearest nearest(List<Fingerprint> queries) {
            int n = queries.size();
            int[] index = new int[n];
            double[] distance = new double[n];
            IntStream.range(0, n)
                    .parallel()
                    .forEach(
                            q -> {
                                Fingerprint f = queries.get(q);
                                double best = Double.NEGATIVE_INFINITY;
                                int at = -1;
                                for (int t = 0; t < fingerprints.size(); t++) {
                                    double dot = f.dot(fingerprints.get(t));
                                    if (dot > best) {
                                        best = dot;
                                        at = t;
                                    }
                                }
                                index[q] = at;
                                distance[q] = 1 - best;
                            });
            return new Nearest(index, distance);
        }
    }

    /**
     * Nearest training structures.
     *
     * @param index [n] index into the training ids
     * @param distance [n] cosine distance 1 - F . F_train
     */
    public record Nearest(int[] index, double[] distance) {}

    /**
     * The reference of this domain from the training structures (in {@link #trainIds} order),
     * checked: the recomputed leave-one-out threshold must equal the stored one (relative 1e-9),
     * else the structures or the fingerprint code differ from those the model was trained with.
     *
     * @throws IllegalStateException naming both thresholds when they differ
     */
    public Reference reference(List<Structure> train, int threads) {
        if (train.size() != trainIds.size()) {
            throw new IllegalArgumentException(
                    train.size() + " training structures for " + trainIds.size() + " ids");
        }
        List<Fingerprint> f = fingerprints(builder(), train);
        double again = threshold(f, threads);
        if (Math.abs(again - threshold) > 1e-9 * Math.max(Math.abs(threshold), 1e-12)) {
            throw new IllegalStateException(
                    "the training structures give the out-of-domain threshold "
                            + again
                            + ", the model records "
                            + threshold);
        }
        return new Reference(this, f);
    }
}
