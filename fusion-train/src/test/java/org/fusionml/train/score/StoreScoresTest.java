package org.fusionml.train.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.FingerprintStore;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.descriptor.StoreNearestNeighbors;
import org.fusionml.train.trainer.Predictions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** W and I from the memory-mapped store equal those of the in-heap path. */
class StoreScoresTest {
    @TempDir Path dir;

    @Test
    void storeAndHeapGiveTheSameScores() throws Exception {
        CrystalDataset data =
                DatasetLoader.embeddedDefault().select(IntStream.range(0, 150).toArray());
        SoapConfig soap = new SoapConfig(4.0, 3, 2, 0.5, true);
        FingerprintBuilder builder = new FingerprintBuilder(soap, 0.01);
        List<Fingerprint> fps =
                IntStream.range(0, data.size())
                        .mapToObj(i -> builder.build(data.get(i).structure()))
                        .toList();
        int n = fps.size();
        SplittableRandom rng = new SplittableRandom(4);
        double[] nu = rng.doubles(n, 0.1, 5).toArray();
        double[] alpha = rng.doubles(n, 1.1, 5).toArray();
        double[] beta = rng.doubles(n, 0.1, 3).toArray();
        Predictions p = new Predictions(new double[n], nu, alpha, beta, null, null, beta);
        for (String weighting : new String[] {"cosine", "euclidean"}) {
            ScoreSettings settings =
                    new ScoreSettings(
                            0.3, 2.0, weighting, null, null, null, null, null, null, null, null);
            FusionScorer.Table heap = FusionScorer.score(p, fps, settings, 2);
            Path file = dir.resolve(weighting + ".fps");
            FingerprintStore.write(
                    file,
                    "jdft2d 150",
                    soap,
                    FingerprintStore.Precision.FLOAT64,
                    0,
                    n,
                    n,
                    fps::get,
                    2,
                    done -> {});
            FusionScorer.Table disk;
            try (FingerprintStore s = FingerprintStore.open(file, 1 << 16)) { // several chunks
                double[] u = Scores.uncertainty(nu, alpha, beta, 0.3, settings.alphaOffset());
                disk = FusionScorer.score(u, StoreNearestNeighbors.search(s, 2).result(), settings);
            }
            // Both searches sum the same products in different orders; sqrt(2 - 2 dot) magnifies
            // the round-off of a dot near 1 for close pairs, hence the Euclidean tolerance.
            double tol = weighting.equals("cosine") ? 1e-12 : 1e-10;
            assertArrayEquals(heap.uncertainty(), disk.uncertainty(), 0);
            assertArrayEquals(heap.weighting(), disk.weighting(), tol);
            assertArrayEquals(heap.influence(), disk.influence(), tol);
            assertArrayEquals(heap.distance(), disk.distance(), tol);
            for (int i = 0; i < n; i++) {
                if (heap.nearest()[i] != disk.nearest()[i]) { // a duplicate: a tie
                    assertEquals(
                            fps.get(i).dot(fps.get(heap.nearest()[i])),
                            fps.get(i).dot(fps.get(disk.nearest()[i])),
                            1e-12);
                }
            }
        }
    }
}
