package org.fusionml.train.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.loop.CellResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tables from hand-made cells whose means are worked out by hand. */
class LoopReportTest {
    @TempDir Path dir;

    /** Two held-out clusters, two seeds: an easy cluster (MAE ~50) and a hard one (~150). */
    private static List<CellResult> oodCells() {
        List<CellResult> cells = new ArrayList<>();
        Object[][] rows = {
            // method, ratio, fold, MAE seed 0, MAE seed 1
            {"none", 0.0, 0, 50.0, 52.0}, {"fusion", 0.2, 0, 40.0, 44.0},
            {"random", 0.2, 0, 60.0, 64.0}, {"uncertainty", 0.2, 0, 45.0, 47.0},
            {"none", 0.0, 1, 150.0, 154.0}, {"fusion", 0.2, 1, 170.0, 174.0},
            {"random", 0.2, 1, 160.0, 162.0}, {"uncertainty", 0.2, 1, 140.0, 144.0},
        };
        for (Object[] r : rows) {
            for (int seed = 0; seed < 2; seed++) {
                cells.add(
                        CellResult.of(
                                (String) r[0],
                                (Double) r[1],
                                seed,
                                "alignn",
                                (Integer) r[2],
                                (Double) r[3 + seed]));
            }
        }
        return cells;
    }

    @Test
    void tableOneIsTheMeanOverSeedsAndClustersWithBestBoldAndSecondUnderlined() throws Exception {
        String table1 = LoopReport.write(oodCells(), dir);
        // 20 %: uncertainty (45+47+140+144)/4 = 94, fusion 107, random 111.5; unpruned 101.5
        assertTrue(table1.contains("| uncertainty |  | **94.00 ± 88.24 (n=4)** |"), table1);
        assertTrue(table1.contains("| fusion |  | <u>107.00 ± 119.49 (n=4)</u> |"), table1);
        assertTrue(table1.contains("| random |  | 111.50 ± 91.00 (n=4) |"), table1);
        assertTrue(table1.contains("| none | 101.50 ± 92.83 (n=4) |  |"), table1);
        // Table 2: 100 (111.5 - 107) / 111.5 = 4.036 %; paired d_k over the four seed/cluster
        // keys 17.94, 17.94, -8.97, -10.76: sd 16.07, t(0.975, 3) 16.07 / 2 = 25.57
        String table2 = Files.readString(dir.resolve("table2.md"));
        assertTrue(table2.contains("| alignn | 4.04% +- 25.57 | 4.04% +- 25.57 |"), table2);
        assertFalse(Files.exists(dir.resolve("ranking.md")), "one architecture: no ranking");
    }

    /**
     * Two architectures, three seeds at 20 %: alignn random 100/110/120 and FUSION 90/100/125 (d_k
     * 9.09, 9.09, -4.55: 4.55 +- 19.56), cgcnn random 80 each and FUSION 84/82/86 (d_k -5, -2.5,
     * -7.5: -5.00 +- 6.21); the average's interval is over the per-seed means of the two (2.05,
     * 3.30, -6.02: -0.23 +- 12.56). A random cell without its FUSION pair (alignn seed 3) is left
     * out of the improvement.
     */
    @Test
    void tableTwoPairsTheSeedsAndRankingOrdersTheArchitectures() throws Exception {
        List<CellResult> cells = new ArrayList<>();
        double[][] alignn = {{95, 96, 97}, {90, 100, 125}, {100, 110, 120}};
        double[][] cgcnn = {{85, 86, 87}, {84, 82, 86}, {80, 80, 80}};
        String[] methods = {"none", "fusion", "random"};
        for (int m = 0; m < 3; m++) {
            double ratio = m == 0 ? 0.0 : 0.2;
            for (int seed = 0; seed < 3; seed++) {
                cells.add(CellResult.of(methods[m], ratio, seed, "alignn", -1, alignn[m][seed]));
                cells.add(CellResult.of(methods[m], ratio, seed, "cgcnn", -1, cgcnn[m][seed]));
            }
        }
        cells.add(CellResult.of("random", 0.2, 3, "alignn", -1, 1000.0));
        LoopReport.write(cells, dir);
        String table2 = Files.readString(dir.resolve("table2.md"));
        assertTrue(table2.contains("| alignn | 4.55% +- 19.56 | 4.55% +- 19.56 |"), table2);
        assertTrue(table2.contains("| cgcnn | -5.00% +- 6.21 | -5.00% +- 6.21 |"), table2);
        assertTrue(table2.contains("| **average** | -0.23% +- 12.56 | -0.23% +- 12.56 |"), table2);
        assertTrue(
                Files.readAllLines(dir.resolve("table2.csv"))
                        .contains("cgcnn,-5.0000,6.2103,-5.0000,6.2103"),
                Files.readString(dir.resolve("table2.csv")));
        String ranking = Files.readString(dir.resolve("ranking.md"));
        assertTrue(ranking.contains("| none | 0% | cgcnn 86.00 (3) | alignn 96.00 (3) |"), ranking);
        assertTrue(
                ranking.contains("| fusion | 20% | cgcnn 84.00 (3) | alignn 105.00 (3) |"),
                ranking);
        // the unpaired alignn cell counts in the ranking's mean: (100 + 110 + 120 + 1000) / 4
        assertTrue(
                ranking.contains("| random | 20% | cgcnn 80.00 (3) | alignn 332.50 (4) |"),
                ranking);
        assertTrue(
                Files.readAllLines(dir.resolve("ranking.csv"))
                        .contains("fusion,0.2000,2,alignn,105.000000,3"),
                Files.readString(dir.resolve("ranking.csv")));
    }

    @Test
    void oodLoopsGetTableOnePerHeldOutCluster() throws Exception {
        LoopReport.write(oodCells(), dir);
        String md = Files.readString(dir.resolve("table1_clusters.md"));
        String cluster0 =
                md.substring(
                        md.indexOf("### alignn, held-out cluster 0"),
                        md.indexOf("### alignn, held-out cluster 1"));
        String cluster1 = md.substring(md.indexOf("### alignn, held-out cluster 1"));
        // cluster 0: fusion 42 best, uncertainty 46 second, random 62
        assertTrue(cluster0.contains("| fusion |  | **42.00 ± 25.41 (n=2)** |"), cluster0);
        assertTrue(cluster0.contains("| uncertainty |  | <u>46.00 ± 12.71 (n=2)</u> |"), cluster0);
        assertTrue(cluster0.contains("| random |  | 62.00 ± 25.41 (n=2) |"), cluster0);
        // cluster 1: uncertainty 142 best, random 161 second, fusion 172
        assertTrue(cluster1.contains("| uncertainty |  | **142.00 ± 25.41 (n=2)** |"), cluster1);
        assertTrue(cluster1.contains("| random |  | <u>161.00 ± 12.71 (n=2)</u> |"), cluster1);
        assertTrue(cluster1.contains("| fusion |  | 172.00 ± 25.41 (n=2) |"), cluster1);
        List<String> csv = Files.readAllLines(dir.resolve("table1_clusters.csv"));
        assertEquals(
                "architecture,held_out_cluster,method,ratio,mean_test_mae,ci95_half_width,cells",
                csv.get(0));
        assertTrue(csv.contains("alignn,1,none,0.0000,152.000000,25.412409,2"), csv.toString());
        assertEquals(1 + 2 * 4, csv.size());
    }

    @Test
    void inDistributionLoopsHaveNoClusterTable() throws Exception {
        List<CellResult> id =
                oodCells().stream()
                        .filter(c -> c.fold() == 0)
                        .map(
                                c ->
                                        CellResult.of(
                                                c.method(),
                                                c.ratio(),
                                                c.seed(),
                                                c.architecture(),
                                                -1,
                                                c.testMae()))
                        .toList();
        LoopReport.write(id, dir);
        assertTrue(Files.exists(dir.resolve("table1.md")));
        assertFalse(Files.exists(dir.resolve("table1_clusters.md")));
    }

    /**
     * The mean-predictor table: per held-out cluster, the mean over seeds of each cell's
     * mean-predictor test MAE (bold lowest), and in the CSV the mean training target; absent when
     * no cell records it.
     */
    @Test
    void shiftTableIsTheMeanPredictorsMaePerCluster() throws Exception {
        List<CellResult> cells = new ArrayList<>();
        // method, ratio, fold, seed, train mean, mean-predictor MAE
        Object[][] rows = {
            {"none", 0.0, 0, 0, 110.0, 50.0}, {"none", 0.0, 0, 1, 112.0, 52.0},
            {"uncertainty", 0.4, 0, 0, 80.0, 30.0}, {"uncertainty", 0.4, 0, 1, 84.0, 34.0},
            {"random", 0.4, 0, 0, 111.0, 51.0}, {"random", 0.4, 0, 1, 115.0, 55.0},
            {"none", 0.0, 3, 0, 100.0, 70.0},
        };
        for (Object[] r : rows) {
            cells.add(
                    CellResult.of(
                            (String) r[0],
                            (Double) r[1],
                            (Integer) r[3],
                            "alignn",
                            (Integer) r[2],
                            1.0,
                            (Double) r[4],
                            (Double) r[5]));
        }
        LoopReport.write(cells, dir);
        String md = Files.readString(dir.resolve("shift.md"));
        String cluster0 =
                md.substring(
                        md.indexOf("### alignn, held-out cluster 0"),
                        md.indexOf("### alignn, held-out cluster 3"));
        assertTrue(cluster0.contains("| uncertainty |  | **32.00 ± 25.41 (n=2)** |"), cluster0);
        assertTrue(cluster0.contains("| random |  | 53.00 ± 25.41 (n=2) |"), cluster0);
        assertTrue(cluster0.contains("| none | 51.00 ± 12.71 (n=2) |  |"), cluster0);
        String csv = Files.readString(dir.resolve("shift.csv"));
        assertTrue(csv.contains("alignn,0,uncertainty,0.4000,82.000000,32.000000,2\n"), csv);
        assertTrue(csv.contains("alignn,3,none,0.0000,100.000000,70.000000,1\n"), csv);

        Path without = dir.resolve("without");
        LoopReport.write(oodCells(), without);
        assertFalse(
                Files.exists(without.resolve("shift.md")),
                "cells that do not record it give no table");
    }

    @Test
    void theUnprunedTargetIsComparedWithTheMeanPredictorAndAMissedBoundIsLoud() throws Exception {
        List<CellResult> cells = new ArrayList<>();
        double[] mae = {60, 62};
        for (int seed = 0; seed < 2; seed++) {
            cells.add(CellResult.of("none", 0.0, seed, "alignn", -1, mae[seed], 100.0, 80.0));
            cells.add(CellResult.of("fusion", 0.2, seed, "alignn", -1, 63.0 + seed, 100.0, 81.0));
            cells.add(
                    CellResult.of("random", 0.2, seed, "alignn", -1, 65.0 + 3 * seed, 99.0, 80.5));
        }
        // unpruned 61 against 80: 0.7625, printed 0.763 (half up)
        String missed = LoopReport.write(cells, dir, 0.75);
        assertTrue(
                missed.startsWith(
                        "WARNING: the unpruned alignn target reaches 0.763 of the mean predictor's"
                                + " test MAE, above the bound 0.75"),
                missed);
        String md = Files.readString(dir.resolve("unpruned.md"));
        assertTrue(md.contains("| alignn | all | 2 | 61.00 | 80.00 | 0.763 | **MISSED** |"), md);
        assertTrue(
                Files.readString(dir.resolve("unpruned.csv"))
                        .contains("alignn,all,2,61.000000,80.000000,0.762500,0.7500,false\n"));

        Path met = dir.resolve("met");
        String fine = LoopReport.write(cells, met, 0.8);
        assertFalse(fine.contains("WARNING"), fine);
        assertTrue(Files.readString(met.resolve("unpruned.md")).contains("| 0.763 | met |"));

        // one t-test (fusion against random at 20 %), and the table says so
        String ttest = Files.readString(dir.resolve("ttest.md"));
        assertTrue(ttest.contains("\n1 test in this table."), ttest);
        assertTrue(ttest.contains("p < 0.05 (0.05 / 1, Bonferroni)"), ttest);
        assertEquals(
                "\n12 tests in this table. Each p is for its own comparison; over all 12, p <"
                        + " 0.00417 (0.05 / 12, Bonferroni) keeps the chance of any false positive"
                        + " below 5 %.\n",
                TTestTable.comparisons(12));
    }

    @Test
    void figureTwoPointsCarryTheHalfWidthOfTheirStudentTInterval() throws Exception {
        List<CellResult> cells = new ArrayList<>();
        double[] fusion = {70, 72, 75, 71, 77}; // mean 73, squares 9 1 4 4 16 = 34, s^2 = 8.5
        double[] none = {68, 68, 68, 68, 68}; // no spread: a bar of length 0
        for (int seed = 0; seed < 5; seed++) {
            cells.add(CellResult.of("fusion", 0.2, seed, "alignn", -1, fusion[seed]));
            cells.add(CellResult.of("none", 0.0, seed, "alignn", -1, none[seed]));
        }
        Chart fig =
                LoopReport.figure2(
                        "alignn", Tables.byArchitecture(cells).get("alignn"), "meV/atom");
        Chart.Series s = fig.series().get(0);
        assertEquals("fusion", s.name());
        assertArrayEquals(new double[] {0, 20}, s.x(), 0);
        assertArrayEquals(new double[] {68, 73}, s.y(), 1e-12);
        // t(0.975, 4) = 2.7764451051977987 (scipy.stats.t.ppf) times s / sqrt(n) = sqrt(8.5 / 5)
        assertEquals(2.7764451051977987 * Math.sqrt(8.5 / 5), s.yError()[1], 1e-9);
        assertEquals(0, s.yError()[0], 0);
        assertEquals("test MAE (meV/atom)", fig.yLabel());
        assertEquals("pruning ratio (%)", fig.xLabel());
        assertEquals(
                "Points: mean over seeds (n = 5). Error bars: 95 % confidence interval of the mean,"
                        + " Student's t (none for n = 1).",
                fig.caption().replace('\u00a0', ' '));

        LoopReport.write(cells, dir, dir, null, "eV/cell");
        String svg = Files.readString(dir.resolve("fig2_alignn.svg"));
        assertTrue(svg.contains(">test MAE (eV/cell)</text>"), svg);
        assertTrue(Files.exists(dir.resolve("fig2_alignn.png")));
        // out of distribution the caption says the points pool held-out clusters too
        Chart ood =
                LoopReport.figure2(
                        "alignn", Tables.byArchitecture(oodCells()).get("alignn"), "unknown");
        assertTrue(
                ood.caption()
                        .replace('\u00a0', ' ')
                        .startsWith("Points: mean over seeds and held-out clusters (n = 4)."),
                ood.caption());
        assertEquals("test MAE (target's unit)", ood.yLabel());
    }

    @Test
    void theTTestTableHasTheHolmAdjustedPBesideEachRawP() throws Exception {
        List<CellResult> cells = new ArrayList<>();
        double[][] mae = { // fusion, random, uncertainty, diversity per seed at 20 %
            {70, 75, 71, 90}, {72, 74, 74, 93}, {71, 79, 70, 91}, {74, 76, 75, 95},
        };
        String[] methods = {"fusion", "random", "uncertainty", "diversity"};
        for (int seed = 0; seed < mae.length; seed++) {
            for (int m = 0; m < methods.length; m++) {
                cells.add(CellResult.of(methods[m], 0.2, seed, "alignn", -1, mae[seed][m]));
            }
        }
        LoopReport.write(cells, dir);
        List<String> lines = Files.readAllLines(dir.resolve("ttest.csv"));
        assertEquals("architecture,ratio,method,pairs,mean_difference,t,p,p_holm", lines.get(0));
        assertEquals(4, lines.size());
        double[] p = new double[3];
        double[] holm = new double[3];
        for (int i = 0; i < 3; i++) {
            String[] f = lines.get(i + 1).split(",");
            p[i] = Double.parseDouble(f[6]);
            holm[i] = Double.parseDouble(f[7]);
        }
        assertArrayEquals(Statistics.holm(p), holm, 1e-5);
        // diversity is far worse: its p is the smallest and is multiplied by all 3 tests
        int diversity =
                lines.get(1).contains(",diversity,")
                        ? 0
                        : lines.get(2).contains(",diversity,") ? 1 : 2;
        assertEquals(
                Math.min(1, 3 * p[diversity]), holm[diversity], 1e-5 * holm[diversity] + 1e-12);
        String md = Files.readString(dir.resolve("ttest.md"));
        assertTrue(md.contains("| mean difference | t | p | p_holm |"), md);
        assertTrue(md.contains(TTestTable.HOLM_NOTE), md);
    }
}
