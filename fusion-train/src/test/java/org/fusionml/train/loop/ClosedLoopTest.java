package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.fusionml.train.prune.PruningOptimizer;
import org.fusionml.train.report.LoopReport;
import org.fusionml.train.score.ScoresTable;
import org.fusionml.train.trainer.GraphModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosedLoopTest {
    @TempDir Path dir;

    @Test
    void runsSkipsFinishedCellsAndReproducesTheTable() throws Exception {
        LoopConfig cfg =
                ConfigLoader.load(
                        Path.of("../configs/quickstart.yaml"),
                        List.of(
                                "surrogate.train.epochs=1",
                                "surrogate.model.hidden=16",
                                "surrogate.model.embedding=8",
                                "surrogate.model.alignn_layers=1",
                                "surrogate.model.gcn_layers=1",
                                "target.train.epochs=1",
                                "target.model.hidden=8",
                                "target.model.embedding=8",
                                "scores.n_max=3",
                                "scores.l_max=2",
                                "scores.r_cut=4.0",
                                "methods=[fusion, random, fusion@authors]",
                                "score_variants={authors: {weighting: euclidean, gamma: 0.1,"
                                        + " aleatoric: beta_over_alpha}}",
                                "ratios=[0.0, 0.4]",
                                "seeds=[0]"),
                        LoopConfig.class);
        Path out = dir.resolve("loop");
        StringWriter log = new StringWriter();
        assertEquals(4, new ClosedLoop(cfg, new PrintWriter(log, true)).run(out, 2));
        String table = LoopReport.write(LoopReport.read(out), out);
        assertTrue(
                table.contains("| fusion |")
                        && table.contains("| random |")
                        && table.contains("| none |"),
                table);
        assertTrue(table.contains("w/o pruning") && table.contains("40%"), table);
        // the surrogate's per-candidate outputs are kept, and each pruned cell says how many of
        // its removed structures lost their nearest candidate too
        List<ScoresTable.Row> scores = ScoresTable.read(out.resolve("scores.csv"));
        assertEquals(
                cfg.data().split(DatasetLoader.embeddedDefault()).trainAndVal().length,
                scores.size());
        assertTrue(scores.stream().allMatch(r -> r.nu() > 0 && r.alpha() > 1 && r.beta() > 0));
        double loss =
                CellResult.read(out.resolve("cells").resolve("random_r0.400_s0_alignn.json"))
                        .neighbourLoss();
        assertTrue(loss >= 0 && loss <= 1, "neighbour loss " + loss);
        String diagnostics = Files.readString(out.resolve("diagnostics.md"));
        assertTrue(
                diagnostics.contains("rho(I, 1/W)")
                        && diagnostics.contains("| alignn | random | 40% |"),
                diagnostics);
        // a scoring variant re-scores the same surrogate and fingerprints: the same candidates
        // and surrogate outputs, its own W and I, and its cell removes by its own I
        List<ScoresTable.Row> authors = ScoresTable.read(out.resolve("scores@authors.csv"));
        assertEquals(scores.size(), authors.size());
        for (int k = 0; k < scores.size(); k++) {
            assertEquals(scores.get(k).id(), authors.get(k).id());
            assertEquals(scores.get(k).beta(), authors.get(k).beta(), 0);
            // beta / alpha against beta / (alpha - 1): U differs
            assertTrue(authors.get(k).uncertainty() != scores.get(k).uncertainty());
        }
        CellResult variantCell =
                CellResult.read(
                        out.resolve("cells").resolve("fusion@authors_r0.400_s0_alignn.json"));
        CellResult fusionCell =
                CellResult.read(out.resolve("cells").resolve("fusion_r0.400_s0_alignn.json"));
        assertEquals(fusionCell.removed(), variantCell.removed());
        assertEquals(
                PruningOptimizer.epsilonForRatio(
                        authors.stream().mapToDouble(ScoresTable.Row::influence).toArray(), 0.4),
                variantCell.epsilon(),
                1e-12);
        assertTrue(
                diagnostics.contains("| all | authors |") && diagnostics.contains("40%: "),
                diagnostics);
        assertTrue(table.contains("| fusion@authors |"), table);
        // targets only evaluate the test part: no training domain (fingerprints) is computed
        try (GraphModel target = GraphModel.load(out.resolve("runs/random_r0.400_s0_alignn"))) {
            assertNull(target.domain());
        }
        try (GraphModel surrogate = GraphModel.load(out.resolve("surrogate"))) {
            assertNotNull(surrogate.domain(), "the surrogate predicts like any trained model");
        }

        assertEquals(
                0,
                new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2),
                "nothing left to do");
        Files.delete(out.resolve("cells").resolve("random_r0.400_s0_alignn.json"));
        AtomicFiles.writeString(out.resolve("keep.txt"), "");
        deleteRecursively(out.resolve("runs").resolve("random_r0.400_s0_alignn"));
        assertEquals(
                1,
                new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2),
                "only the missing cell");
        assertEquals(
                table,
                LoopReport.write(LoopReport.read(out), out),
                "same table after re-running a deleted cell");

        // without its surrogate (a loop copied from committed results) the loop resumes from the
        // surrogate outputs kept in scores.csv: nothing retrained, the same scores, the same cut
        String scoresBefore = Files.readString(out.resolve("scores.csv"));
        deleteRecursively(out.resolve("surrogate"));
        Files.delete(out.resolve("cells").resolve("fusion_r0.400_s0_alignn.json"));
        deleteRecursively(out.resolve("runs").resolve("fusion_r0.400_s0_alignn"));
        assertEquals(1, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2));
        assertFalse(Files.exists(out.resolve("surrogate")), "the surrogate was retrained");
        assertEquals(scoresBefore, Files.readString(out.resolve("scores.csv")));
        assertEquals(
                fusionCell.removed(),
                CellResult.read(out.resolve("cells").resolve("fusion_r0.400_s0_alignn.json"))
                        .removed());
        assertEquals(table, LoopReport.write(LoopReport.read(out), out));

        // a scores file that is not the fold's candidates is refused, naming it
        List<String> lines = Files.readAllLines(out.resolve("scores.csv"));
        AtomicFiles.writeString(
                out.resolve("scores.csv"),
                String.join("\n", lines.subList(0, lines.size() - 1)) + "\n");
        Files.delete(out.resolve("cells").resolve("fusion_r0.400_s0_alignn.json"));
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2));
        assertTrue(
                e.getMessage().contains("scores.csv") && e.getMessage().contains("candidates"),
                e.getMessage());
    }

    @Test
    void queryByCommitteeTrainsItsMembersOnce() throws Exception {
        LoopConfig cfg =
                TinyLoop.config(
                        "methods=[committee]", "committee_size=2", "ratios=[0.4]", "seeds=[0]");
        Path out = dir.resolve("qbc");
        assertEquals(2, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2));
        assertTrue(
                Files.exists(out.resolve("committee").resolve("member_1").resolve("model.json")));
        // member 0 has the surrogate's seed: the surrogate itself, not trained again
        assertFalse(Files.exists(out.resolve("committee").resolve("member_0")));
        assertTrue(Files.exists(out.resolve("surrogate").resolve("model.json")));
        assertTrue(Files.exists(out.resolve("cells").resolve("committee_r0.400_s0_alignn.json")));
    }

    @Test
    void literatureMethodsRunInTheLoop() throws Exception {
        LoopConfig cfg =
                TinyLoop.config(
                        "meagraph.epochs=5",
                        "meagraph.hidden=[8, 4]",
                        "meagraph.kernels=2",
                        "methods=[msc, meagraph]",
                        "ratios=[0.4]",
                        "seeds=[0]");
        Path out = dir.resolve("literature");
        assertEquals(3, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2));
        for (String m : List.of("msc", "meagraph")) {
            var node = cell(out, m + "_r0.400_s0_alignn");
            assertEquals(m, node.get("method").asText());
            assertEquals(
                    (int)
                            Math.floor(
                                    0.4
                                                    * (node.get("train_size").asInt()
                                                            + node.get("val_size").asInt()
                                                            + node.get("removed").asInt())
                                            + 1e-9),
                    node.get("removed").asInt(),
                    m);
        }
    }

    /**
     * A grid over the tolerance epsilon of Eq. 7: FUSION removes exactly k*(epsilon) (the count its
     * exact optimum removes under the surrogate's influences), random pruning removes as many, and
     * the cell records both the epsilon and the ratio it became.
     */
    @Test
    void epsilonGridRemovesWhatTheExactOptimumRemoves() throws Exception {
        List<String> small = TinyLoop.settings("methods=[fusion, random]", "seeds=[0]");
        Path out = dir.resolve("epsilon");
        LoopConfig plain =
                ConfigLoader.load(Path.of("../configs/quickstart.yaml"), small, LoopConfig.class);
        double[] influence =
                new ClosedLoop(plain, new PrintWriter(new StringWriter()))
                        .inputs(out, 2)
                        .get(0)
                        .influence();
        int n = influence.length;
        int k = (int) (0.3 * n);
        double epsilon = halfwayEpsilon(influence, k);

        List<String> grid = new ArrayList<>(small);
        grid.addAll(List.of("ratios=[]", "epsilons=[" + epsilon + "]"));
        LoopConfig cfg =
                ConfigLoader.load(Path.of("../configs/quickstart.yaml"), grid, LoopConfig.class);
        assertEquals(
                3,
                new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2),
                "unpruned, fusion and random at epsilon");
        String budget = "e" + BigDecimal.valueOf(epsilon).toPlainString();
        for (String method : List.of("fusion", "random")) {
            var node = cell(out, method + "_" + budget + "_s0_alignn");
            assertEquals(k, node.get("removed").asInt(), method);
            assertEquals((double) k / n, node.get("ratio").asDouble(), 0.0, method);
            assertEquals(epsilon, node.get("epsilon").asDouble(), 0.0, method);
        }
        assertUnprunedCellRecordsItsRun(out);
        var bad =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        Path.of("../configs/quickstart.yaml"),
                                        List.of("epsilons=[0.0]"),
                                        LoopConfig.class));
        assertTrue(
                bad.getMessage().contains("epsilons: 0.0 is not a finite tolerance > 0"),
                bad.getMessage());
    }

    /**
     * The tolerance halfway between removing the {@code k} and the {@code k + 1} smallest of {@code
     * influence}.
     */
    private static double halfwayEpsilon(double[] influence, int k) {
        int n = influence.length;
        double[] sorted = influence.clone();
        Arrays.sort(sorted);
        double prefix = 0;
        for (int i = 0; i < k; i++) {
            prefix += sorted[i];
        }
        return (prefix + sorted[k] / 2) / n; // halfway between removing k and k + 1
    }

    /**
     * The unpruned cell records epsilon 0, the training targets' level as its trained model
     * standardised them, and the mean predictor's test MAE of its run.
     */
    private static void assertUnprunedCellRecordsItsRun(Path out) throws IOException {
        var unpruned = cell(out, "none_r0.000_s0_alignn");
        assertEquals(0.0, unpruned.get("epsilon").asDouble(), 0.0);
        // the level of the training targets, as the trained model standardised them, and the mean
        // predictor's test MAE
        Path run = out.resolve("runs").resolve("none_r0.000_s0_alignn");
        var om = new ObjectMapper();
        assertEquals(
                om.readTree(run.resolve("model.json").toFile()).get("target_mean").asDouble(),
                unpruned.get("train_target_mean").asDouble(),
                0.0);
        assertEquals(
                om.readTree(run.resolve("result.json").toFile())
                        .get("meanPredictorTestMae")
                        .asDouble(),
                unpruned.get("mean_predictor_test_mae").asDouble(),
                0.0);
    }

    /** The result of cell {@code name} in the loop folder {@code out}. */
    private static JsonNode cell(Path out, String name) throws IOException {
        return new ObjectMapper().readTree(out.resolve("cells").resolve(name + ".json").toFile());
    }

    /**
     * Leave-one-cluster-out folds, two target architectures and the optimal-point search in one
     * loop.
     */
    @Test
    void oodFoldsTargetsAndOptimalSearch() throws Exception {
        Path yaml = dir.resolve("ood.yaml");
        Files.writeString(
                yaml,
                String.join(
                        "\n",
                        "surrogate:",
                        "  model: {type: alignn, alignn_layers: 1, gcn_layers: 1, hidden: 8,"
                                + " embedding: 8, head: evidential}",
                        "  loss: {type: der}",
                        "  train: {epochs: 1, batch_size: 64}",
                        "targets:",
                        "  - model: {type: alignn, alignn_layers: 1, gcn_layers: 1, hidden: 8,"
                                + " embedding: 8, head: regression}",
                        "    loss: {type: mae}",
                        "    train: {epochs: 1, batch_size: 64}",
                        "  - model: {type: cgcnn, conv_layers: 1, hidden: 8, features: 8, head:"
                                + " regression}",
                        "    loss: {type: mae}",
                        "    train: {epochs: 1, batch_size: 64}",
                        "scores: {n_max: 3, l_max: 2, r_cut: 4.0}",
                        "methods: [fusion]",
                        "ratios: [0.4]",
                        "seeds: [0]",
                        "optimal_search: {max_ratio: 0.02, step: 0.01}",
                        "ood: {clusters: 6, evaluated: 2, seed: 3}",
                        ""));
        LoopConfig cfg = ConfigLoader.load(yaml, List.of(), LoopConfig.class);
        Path out = dir.resolve("ood");
        // 2 folds x 2 architectures x (unpruned, 40 %, 1 %, 2 %)
        assertEquals(16, new ClosedLoop(cfg, new PrintWriter(new StringWriter())).run(out, 2));
        List<CellResult> cells = LoopReport.read(out);
        assertEquals(16, cells.size());
        assertEquals(
                Set.of(0, 1), cells.stream().map(CellResult::fold).collect(Collectors.toSet()));
        assertEquals(
                Set.of("alignn", "cgcnn"),
                cells.stream().map(CellResult::architecture).collect(Collectors.toSet()));
        assertTrue(Files.exists(out.resolve("fold_1").resolve("surrogate").resolve("model.json")));
        var node = cell(out, "fusion_r0.010_s0_cgcnn_f1");
        int n = 636;
        assertEquals(
                n,
                node.get("train_size").asInt()
                        + node.get("val_size").asInt()
                        + node.get("test_size").asInt()
                        + node.get("removed").asInt());
        assertTrue(node.get("test_size").asInt() < n / 2, "the test part is one of six clusters");
        LoopReport.write(cells, out);
        assertTrue(Files.readString(out.resolve("optimal.md")).contains("| cgcnn |"));
        assertTrue(
                Files.exists(out.resolve("fig2_cgcnn.svg"))
                        && Files.exists(out.resolve("fig3.png")));
    }

    private static void deleteRecursively(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            try (var s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteRecursively(c);
                }
            }
        }
        Files.deleteIfExists(p);
    }
}
