package org.fusionml.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.train.score.ScoreSettings;

/** The loop's fingerprints of a set of structures, cached in {@code DIR/fingerprints}. */
final class CachedFingerprints {
    private CachedFingerprints() {}

    /**
     * The fingerprints of {@code structures} under {@code sc}'s SOAP settings, read from or written
     * to the cache in {@code out}.
     */
    static List<Fingerprint> of(ScoreSettings sc, CrystalDataset structures, Path out, int threads)
            throws IOException {
        return new FingerprintCache(out.resolve("fingerprints"))
                .getOrCompute(structures, sc.soap(), sc.symprec(), threads, n -> {});
    }
}
