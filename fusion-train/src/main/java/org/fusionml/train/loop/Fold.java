package org.fusionml.train.loop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.split.DataSettings;

/**
 * One evaluation split of the loop: the fixed split of {@code data.split} (index -1, files directly
 * in the loop folder) or a held-out cluster (index c, files in {@code fold_c}).
 */
record Fold(int index, Split split, Path dir) {
    /** "the fixed split", or "fold C" for held-out cluster C. */
    String describe() {
        return index < 0 ? "the fixed split" : "fold " + index;
    }

    /**
     * The loop's folds: the fixed split, or (with {@code ood}) the first {@code evaluated}
     * leave-one-cluster-out folds of a k-means clustering of the cached fingerprints.
     */
    static List<Fold> all(LoopConfig config, CrystalDataset data, Path out, int threads)
            throws IOException {
        DataSettings dc = config.data();
        LoopConfig.Ood ood = config.ood();
        if (ood == null) {
            return List.of(new Fold(-1, dc.split(data), out));
        }
        List<Fingerprint> all = CachedFingerprints.of(config.scores(), data, out, threads);
        int[] labels = KMeans.cluster(all, ood.clusters(), ood.seed(), 300);
        List<Fold> folds = new ArrayList<>();
        for (int c = 0; c < ood.evaluated(); c++) {
            folds.add(
                    new Fold(
                            c,
                            Splits.leaveOneClusterOut(labels, c, dc.valFraction(), dc.splitSeed()),
                            out.resolve("fold_" + c)));
        }
        return folds;
    }
}
