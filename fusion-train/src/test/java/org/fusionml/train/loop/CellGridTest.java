package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.junit.jupiter.api.Test;

class CellGridTest {
    private static LoopConfig config(String... sets) {
        return ConfigLoader.load(null, List.of(sets), LoopConfig.class);
    }

    @Test
    void theOptimalSearchRunsItsSeedsOnly() {
        // 3 seeds x (unpruned + 2 methods x 2 ratios) = 15 main cells; the search adds FUSION at
        // 1, 2, 3 and 5 % (4 % is in the main grid's ratios) for each seed it runs
        String[] grid = {"methods=[fusion, random]", "ratios=[0.04, 0.2]", "seeds=[0, 1, 2]"};
        String all = "optimal_search={max_ratio: 0.05, step: 0.01}";
        assertEquals(15 + 3 * 4, CellGrid.count(config(append(grid, all))));
        String one = "optimal_search={max_ratio: 0.05, step: 0.01, seeds: [1]}";
        assertEquals(15 + 4, CellGrid.count(config(append(grid, one))));
        List<ClosedLoop.Cell> cells =
                CellGrid.of(config(append(grid, one)), List.of(new Fold(-1, null, null)));
        assertTrue(
                cells.subList(15, 19).stream()
                        .allMatch(c -> c.seed() == 1 && c.method().equals("fusion")),
                cells.toString());
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                config(
                                        append(
                                                grid,
                                                "optimal_search={max_ratio: 0.05, step: 0.01,"
                                                        + " seeds: [7]}")));
        assertTrue(e.getMessage().contains("optimal_search.seeds [7]"), e.getMessage());
    }

    private static String[] append(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
