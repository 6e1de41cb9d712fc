package org.fusionml.train.prune;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The outcome of a strategy: which dataset indices are removed, with provenance. The input dataset
 * is never changed; the kept structures are the candidates minus {@link #removed()}.
 *
 * @param removed sorted dataset indices removed
 * @param kept sorted dataset indices kept (candidates only)
 * @param method strategy name
 * @param parameters strategy parameters (ratio, ...)
 * @param seed the seed used (also for deterministic strategies, for the record)
 * @param sourceSha256 SHA-256 of the dataset
 */
public record Pruning(
        int[] removed,
        int[] kept,
        String method,
        Map<String, Object> parameters,
        long seed,
        String sourceSha256) {
    public Pruning {
        removed = removed.clone();
        kept = kept.clone();
        Arrays.sort(removed);
        Arrays.sort(kept);
        parameters = Map.copyOf(parameters);
    }

    @Override
    public int[] removed() {
        return removed.clone();
    }

    @Override
    public int[] kept() {
        return kept.clone();
    }

    /** Builds the result from candidate positions to remove. */
    static Pruning of(
            PruningInput in, int[] removedPositions, String method, double ratio, long seed) {
        boolean[] out = new boolean[in.size()];
        for (int p : removedPositions) {
            out[p] = true;
        }
        int[] c = in.candidates();
        int[] removed = IntStream.range(0, c.length).filter(p -> out[p]).map(p -> c[p]).toArray();
        int[] kept = IntStream.range(0, c.length).filter(p -> !out[p]).map(p -> c[p]).toArray();
        return new Pruning(removed, kept, method, Map.of("ratio", ratio), seed, in.sourceSha256());
    }
}
