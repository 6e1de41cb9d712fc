package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.structure.Structure;
import org.junit.jupiter.api.Test;

class TrainingDomainTest {
    private static final CrystalDataset DATA =
            DatasetLoader.embeddedDefault().select(IntStream.range(0, 8).toArray());
    private static final List<String> IDS = DATA.entries().stream().map(DatasetEntry::id).toList();
    private static final List<Structure> STRUCTURES =
            DATA.entries().stream().map(DatasetEntry::structure).toList();

    @Test
    void theThresholdIsThe99thPercentileOfBruteForceLeaveOneOutDistances() {
        TrainingDomain d = TrainingDomain.of(IDS, STRUCTURES, 2);
        List<Fingerprint> f =
                STRUCTURES.stream().map(FingerprintBuilder.fusionDefault()::build).toList();
        double[] loo = new double[f.size()];
        for (int i = 0; i < f.size(); i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < f.size(); j++) {
                if (j != i) {
                    best = Math.min(best, 1 - f.get(i).dot(f.get(j)));
                }
            }
            loo[i] = best;
        }
        Arrays.sort(loo);
        // type 7 at q = 0.99 over 8 values: position 6.93 between the 7th and 8th smallest
        double expected = loo[6] + 0.93 * (loo[7] - loo[6]);
        assertEquals(expected, d.threshold(), 1e-12);
        assertEquals(99, d.percentile());
        assertEquals(IDS, d.trainIds());
        assertEquals(3.96, TrainingDomain.quantile(new double[] {4, 0, 2, 1, 3}, 0.99), 1e-12);
    }

    @Test
    void theReferenceFindsTrainingStructuresAtDistanceZeroAndChecksTheThreshold() throws Exception {
        TrainingDomain d = TrainingDomain.of(IDS, STRUCTURES, 2);
        TrainingDomain.Reference ref = d.reference(STRUCTURES, 2);
        List<Fingerprint> queries =
                TrainingDomain.fingerprints(d.builder(), List.of(STRUCTURES.get(5)));
        TrainingDomain.Nearest n = ref.nearest(queries);
        assertEquals(5, n.index()[0]);
        assertEquals(0, n.distance()[0], 1e-12);

        ObjectMapper json = new ObjectMapper();
        TrainingDomain back = json.treeToValue(json.valueToTree(d), TrainingDomain.class);
        assertEquals(d, back, "model.json round trip");

        TrainingDomain tampered =
                new TrainingDomain(
                        d.rCut(),
                        d.nMax(),
                        d.lMax(),
                        d.sigma(),
                        d.symprec(),
                        d.percentile(),
                        d.threshold() * 1.01,
                        d.trainIds());
        var e = assertThrows(IllegalStateException.class, () -> tampered.reference(STRUCTURES, 2));
        assertTrue(e.getMessage().contains("threshold"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> TrainingDomain.of(IDS.subList(0, 1), STRUCTURES.subList(0, 1), 1));
    }
}
