package org.fusionml.train.loop;

import java.util.ArrayList;
import java.util.List;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.loop.ClosedLoop.Cell;
import org.fusionml.train.trainer.TrainConfig;

/**
 * The loop's grid of cells in the order they run: per fold, seed and target architecture the
 * unpruned cell and every method's ratios and epsilons, then the cells of the optimal-point search.
 */
final class CellGrid {
    private CellGrid() {}

    static List<Cell> of(LoopConfig config, List<Fold> folds) {
        List<Cell> cells = new ArrayList<>();
        List<Cell> search =
                new ArrayList<>(); // last, so that the main grid of every seed finishes first
        for (Fold fold : folds) {
            for (long seed : config.seeds()) {
                for (TrainConfig target : config.targets()) {
                    String arch = target.model().name();
                    addMainGrid(config, cells, seed, arch, fold.index());
                    addOptimalSearch(config, search, seed, arch, fold.index());
                }
            }
        }
        cells.addAll(search);
        return cells;
    }

    /**
     * The number of cells of {@link #of}: it depends on the configuration and the number of folds
     * only, so it is known before the data are read or clustered.
     */
    static int count(LoopConfig config) {
        return ofConfig(config).size();
    }

    /**
     * The cells of {@link #of}, with folds that stand for the configuration's (index only): their
     * names are the loop's, without the data read or clustered.
     */
    static List<Cell> ofConfig(LoopConfig config) {
        List<Fold> folds = new ArrayList<>();
        if (config.ood() == null) {
            folds.add(new Fold(-1, null, null));
        } else {
            for (int c = 0; c < config.ood().evaluated(); c++) {
                folds.add(new Fold(c, null, null));
            }
        }
        return of(config, folds);
    }

    /** The unpruned cell, then per method its cells at every ratio > 0 and every epsilon. */
    private static void addMainGrid(
            LoopConfig config, List<Cell> cells, long seed, String arch, int fold) {
        cells.add(Cell.atRatio("none", 0.0, seed, arch, fold));
        for (String method : config.methods()) {
            for (double ratio : config.ratios()) {
                if (ratio > 0) {
                    cells.add(Cell.atRatio(method, ratio, seed, arch, fold));
                }
            }
            for (double epsilon : config.epsilons()) {
                cells.add(new Cell(method, Double.NaN, epsilon, seed, arch, fold));
            }
        }
    }

    /**
     * FUSION's cells at the optimal-point search's ratios that the main grid does not have, for the
     * seeds the search runs.
     */
    private static void addOptimalSearch(
            LoopConfig config, List<Cell> search, long seed, String arch, int fold) {
        if (config.optimalSearch() != null && config.optimalSearch().runs(seed)) {
            for (double ratio : config.optimalSearch().ratios()) {
                if (!config.ratios().contains(ratio)) {
                    search.add(Cell.atRatio("fusion", ratio, seed, arch, fold));
                }
            }
        }
    }
}
