package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parity and calibration plots from hand-made predictions whose fractions are counted by hand. */
class PredictionPlotsTest {
    @TempDir Path dir;

    /**
     * Six test structures, alpha = 2 each. |error| / sigma: 0.5, 1.5, 2.5, 3.5, 1.8, 0 (sigma =
     * sqrt(aleatoric + epistemic): 1, 1, 1, 2, 0.5, 1).
     */
    private static final String EVIDENTIAL =
            """
            id,target,prediction,gamma,nu,alpha,beta,aleatoric,epistemic
            a,10,10.5,10.5,1,2,0.64,0.64,0.36
            b,20,18.5,18.5,1,2,0.64,0.64,0.36
            c,30,32.5,32.5,1,2,0.64,0.64,0.36
            d,40,47,47,3,2,3,3,1
            e,50,50.875,50.875,1,2,0.16,0.16,0.09
            f,60,60,60,1,2,0.64,0.64,0.36
            """;

    /** P(|T_4| <= t) in closed form: (3/4) (t / sqrt w) (1 - t^2 / (12 w)), w = 1 + t^2 / 4. */
    private static double studentT4Within(double t) {
        double w = 1 + t * t / 4;
        return 0.75 * t / Math.sqrt(w) * (1 - t * t / (12 * w));
    }

    @Test
    void calibrationCountsTheErrorsWithinKSigma() throws Exception {
        Files.writeString(dir.resolve("predictions.csv"), EVIDENTIAL);
        assertEquals(
                List.of("parity", "calibration"),
                PredictionPlots.write(dir, "exfoliation_en", "meV/atom"));
        for (String f : List.of("parity.svg", "parity.png", "calibration.svg", "calibration.png")) {
            assertTrue(Files.size(dir.resolve(f)) > 0, f);
        }
        List<String> rows = Files.readAllLines(dir.resolve("calibration.csv"));
        assertEquals("k,observed,normal,student_t", rows.get(0));
        assertEquals(PredictionPlots.K_STEPS + 2, rows.size());
        // k = 0, 0.5, 1, 2, 3 (rows 0, 10, 20, 40, 60): 1, 2, 2, 4, 5 of 6 within
        double[][] expected = {{0, 1}, {0.5, 2}, {1, 2}, {2, 4}, {3, 5}};
        for (double[] e : expected) {
            String[] f = rows.get(1 + (int) Math.round(e[0] * 20)).split(",");
            assertEquals(e[0], Double.parseDouble(f[0]), 1e-12);
            assertEquals(e[1] / 6, Double.parseDouble(f[1]), 1e-6, "observed at k = " + e[0]);
            assertEquals(
                    Statistics.normalWithin(e[0]), Double.parseDouble(f[2]), 1e-6, "k " + e[0]);
            // alpha = 2: sigma / s = sqrt(2), 2 alpha = 4 degrees of freedom
            assertEquals(
                    studentT4Within(e[0] * Math.sqrt(2)),
                    Double.parseDouble(f[3]),
                    1e-6,
                    "student t at k = " + e[0]);
        }
        String parity = Files.readString(dir.resolve("parity.svg"));
        assertTrue(parity.contains(">true exfoliation_en (meV/atom)</text>"), parity);
        assertTrue(parity.contains(">predicted exfoliation_en (meV/atom)</text>"), parity);
        // MAE (0.5 + 1.5 + 2.5 + 7 + 0.875 + 0) / 6 = 2.0625, printed half up
        assertTrue(parity.contains(">Test predictions (n = 6, MAE 2.063)</text>"), parity);
        assertTrue(
                Files.readString(dir.resolve("calibration.svg"))
                        .contains(">k (multiples of the predicted sigma)</text>"));
    }

    @Test
    void aPlainRegressionModelGetsTheParityPlotOnly() throws Exception {
        Files.writeString(
                dir.resolve("predictions.csv"), "id,target,prediction\na,1.5,1.7\nb,2.0,1.9\n");
        assertEquals(List.of("parity"), PredictionPlots.write(dir, "n", "dimensionless"));
        assertTrue(Files.exists(dir.resolve("parity.png")));
        assertFalse(Files.exists(dir.resolve("calibration.csv")));
        assertTrue(
                Files.readString(dir.resolve("parity.svg")).contains(">true n (dimensionless)<"));
    }

    @Test
    void aBrokenPredictionsFileIsNamed() throws Exception {
        Files.writeString(dir.resolve("predictions.csv"), "id,target\na,1.5\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> PredictionPlots.write(dir, "y", "eV/cell"));
        assertTrue(e.getMessage().contains("predictions.csv"), e.getMessage());
        assertTrue(e.getMessage().contains("no column 'prediction'"), e.getMessage());
    }
}
