package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fusionml.train.score.ScoresTable;
import org.junit.jupiter.api.Test;

class PruningDiagnosticsTest {
    private static ScoresTable.Row row(String id, double u, double w, String nearest) {
        return new ScoresTable.Row(id, 0, 1, 2, 1, u, w, u / w, nearest, 0.1);
    }

    // a-b and c-d are mutual nearest pairs, e's nearest is d
    private static final List<ScoresTable.Row> ROWS =
            List.of(
                    row("a", 0.40, 0.10, "b"),
                    row("b", 0.50, 0.20, "a"),
                    row("c", 0.45, 0.40, "d"),
                    row("d", 0.48, 0.80, "c"),
                    row("e", 0.42, 1.60, "d"));

    @Test
    void neighbourLossCountsRemovedStructuresWhoseNearestWentToo() {
        assertEquals(1.0, ScoresTable.neighbourLoss(ROWS, List.of("a", "b")), 0);
        assertEquals(0.0, ScoresTable.neighbourLoss(ROWS, List.of("a", "c")), 0);
        // d (nearest c, kept) and e (nearest d, removed): 1 of 2
        assertEquals(0.5, ScoresTable.neighbourLoss(ROWS, List.of("d", "e")), 0);
        // c, d, e: c->d yes, d->c yes, e->d yes
        assertEquals(1.0, ScoresTable.neighbourLoss(ROWS, List.of("c", "d", "e")), 0);
        assertTrue(Double.isNaN(ScoresTable.neighbourLoss(ROWS, List.of())));
        assertTrue(Double.isNaN(ScoresTable.neighbourLoss(ROWS, List.of("x"))));
    }

    @Test
    void aScoringVariantIsComparedByTheSetsFusionRemoves() {
        // ROWS' I = U / W: a 4, b 2.5, c 1.125, d 0.6, e 0.2625 -> ascending e, d, c, b, a
        List<ScoresTable.Row> variant =
                List.of(
                        row("e", 0.42, 0.42 / 5, "d"), // I 5
                        row("a", 0.40, 0.40 / 0.2, "b"), // I 0.2
                        row("b", 0.50, 0.50 / 0.3, "a"), // I 0.3
                        row("c", 0.45, 0.45 / 0.4, "d"), // I 0.4
                        row("d", 0.48, 0.48 / 0.5, "c")); // I 0.5 -> ascending a, b, c, d, e
        PruningDiagnostics.VariantOverlap o =
                PruningDiagnostics.compare(ROWS, variant, List.of(0.4, 0.6, 0.8));
        // 40 %: {e, d} vs {a, b} share nothing; 60 %: {e, d, c} vs {a, b, c}: 1 of 5;
        // 80 %: {e, d, c, b} vs {a, b, c, d}: 3 of 5
        assertEquals(0.0, o.jaccard().get(0.4), 0);
        assertEquals(0.2, o.jaccard().get(0.6), 1e-15);
        assertEquals(0.6, o.jaccard().get(0.8), 1e-15);
        // the variant's I is the exact reverse ranking of the loop's
        assertEquals(-1.0, o.spearmanOfInfluence(), 1e-12);
        assertEquals(1.0, PruningDiagnostics.jaccard(new int[0], new int[0]), 0);
        assertEquals(
                1.0 / 3, PruningDiagnostics.jaccard(new int[] {1, 2}, new int[] {2, 3}), 1e-15);
    }

    @Test
    void histogramCountsFractionsAndClampsOutliersIntoTheEndBins() {
        double[] v = {0, 0.1, 0.5, 0.99, 1.0, 2.0, -1, Double.NaN};
        double[] h = PruningDiagnostics.histogram(v, 2, 0, 1);
        assertEquals(3.0 / 8, h[0], 1e-15); // 0, 0.1 and -1 (clamped)
        assertEquals(4.0 / 8, h[1], 1e-15); // 0.5 (edge: upper bin), 0.99, 1.0, 2.0 (clamped)
        double[] four = PruningDiagnostics.histogram(new double[] {0.25, 0.3, 0.8}, 4, 0, 1);
        assertArrayEquals(new double[] {0, 2.0 / 3, 0, 1.0 / 3}, four, 1e-15);
    }

    @Test
    void summaryGivesQuantilesAndWhichTermRanksI() {
        PruningDiagnostics.ScoreSummary s = PruningDiagnostics.summarise(ROWS);
        assertEquals(5, s.candidates());
        // W sorted 0.1 0.2 0.4 0.8 1.6: positions 0.2, 1, 2, 3, 3.8 (0.8 + 0.8 * 0.8 = 1.44)
        assertArrayEquals(new double[] {0.12, 0.2, 0.4, 0.8, 1.44}, s.weighting(), 1e-12);
        // I = 4, 2.5, 1.125, 0.6, 0.2625 falls as W grows: rank-equal to 1 / W
        assertEquals(1.0, s.spearmanWithInverseW(), 1e-12);
        // ranks of I: a5 b4 c3 d2 e1; of U: a1 b5 c3 d4 e2; sum d^2 = 16+1+0+4+1 = 22,
        // rho = 1 - 6 * 22 / (5 * 24) = -0.1
        assertEquals(-0.1, s.spearmanWithU(), 1e-12);
        assertEquals(0.45, s.uncertainty()[2], 1e-12);
    }
}
