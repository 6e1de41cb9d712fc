package org.fusionml.train.prune;

import java.util.List;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.structure.Structure;

/**
 * What strategies may look at: the candidates (training and validation structures only; the test
 * part is never scored or pruned) and their scores.
 *
 * @param candidates [n] dataset indices of the structures that may be removed
 * @param uncertainty [n] U (Eq. 3), or null
 * @param weighting [n] W (Eq. 5), or null
 * @param influence [n] I = U / W (Eq. 6), or null
 * @param fingerprints [n] F(x), or null
 * @param disagreement [n] standard deviation of a committee's predictions (query by committee), or
 *     null
 * @param structures [n] the candidates' structures, for strategies that describe atomic
 *     environments themselves (minimum set cover, MEAGraph), or null
 * @param sourceSha256 SHA-256 of the dataset the indices refer to
 */
public record PruningInput(
        int[] candidates,
        double[] uncertainty,
        double[] weighting,
        double[] influence,
        List<Fingerprint> fingerprints,
        double[] disagreement,
        List<Structure> structures,
        String sourceSha256) {
    public PruningInput {
        candidates = candidates.clone();
        for (double[] a : new double[][] {uncertainty, weighting, influence, disagreement}) {
            if (a != null && a.length != candidates.length) {
                throw new IllegalArgumentException(
                        "scores have "
                                + a.length
                                + " entries for "
                                + candidates.length
                                + " candidates");
            }
        }
        if (fingerprints != null && fingerprints.size() != candidates.length) {
            throw new IllegalArgumentException(
                    fingerprints.size() + " fingerprints for " + candidates.length + " candidates");
        }
        if (structures != null && structures.size() != candidates.length) {
            throw new IllegalArgumentException(
                    structures.size() + " structures for " + candidates.length + " candidates");
        }
        structures = structures == null ? null : List.copyOf(structures);
    }

    @Override
    public int[] candidates() {
        return candidates.clone();
    }

    public int size() {
        return candidates.length;
    }

    /** The same input with committee disagreements added. */
    public PruningInput withDisagreement(double[] d) {
        return new PruningInput(
                candidates,
                uncertainty,
                weighting,
                influence,
                fingerprints,
                d,
                structures,
                sourceSha256);
    }

    /** Number removed at {@code ratio}: floor(ratio n). */
    public int removeCount(double ratio) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio (" + ratio + ") must be in [0, 1]");
        }
        return (int) Math.floor(ratio * candidates.length + 1e-9);
    }
}
