package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.io.PymatgenJson;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fusion train} with {@code data.split: matbench_folds} on a 15-structure jdft2d stub. */
class TrainFoldsTest {
    /** Three official test ids of each jdft2d fold (the first three of each, by id). */
    private static final List<List<String>> TEST_IDS =
            List.of(
                    List.of("mb-jdft2d-012", "mb-jdft2d-014", "mb-jdft2d-027"),
                    List.of("mb-jdft2d-003", "mb-jdft2d-005", "mb-jdft2d-007"),
                    List.of("mb-jdft2d-004", "mb-jdft2d-008", "mb-jdft2d-018"),
                    List.of("mb-jdft2d-009", "mb-jdft2d-010", "mb-jdft2d-011"),
                    List.of("mb-jdft2d-001", "mb-jdft2d-002", "mb-jdft2d-006"));

    @TempDir Path dir;

    /** A Matbench file (recognised as jdft2d by its name) with the 15 structures above. */
    private Path stub() throws Exception {
        CrystalDataset all = DatasetLoader.embeddedDefault();
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode index = root.putArray("index");
        root.putArray("columns").add("structure").add("exfoliation_en");
        ArrayNode data = root.putArray("data");
        for (List<String> fold : TEST_IDS) {
            for (String id : fold) {
                DatasetEntry e = all.get(all.indexOf(id));
                index.add(id);
                data.addArray().add(PymatgenJson.write(e.structure())).add(e.target());
            }
        }
        Path f = dir.resolve("matbench_jdft2d_stub.json");
        Files.writeString(f, json.writeValueAsString(root));
        return f;
    }

    @Test
    void fiveFoldsTrainAndTheirMaeIsSummarisedAsTheLeaderboardDoes() throws Exception {
        Path data = stub();
        Path out = dir.resolve("run");
        String[] args = {
            "train",
            "--set",
            "data.path=" + data,
            "--set",
            "data.split=matbench_folds",
            "--set",
            "model.alignn_layers=1",
            "--set",
            "model.gcn_layers=1",
            "--set",
            "model.hidden=8",
            "--set",
            "model.embedding=8",
            "--set",
            "train.epochs=1",
            "--set",
            "train.batch_size=4",
            "--output",
            out.toString()
        };
        CliRunner r = CliRunner.run(args);
        assertEquals(0, r.code(), r.err());
        // 12 structures outside each fold's test part: round(12 * 0.15) = 2 validate, 10 train
        assertTrue(
                r.err().contains("fold 2 of 5: 10 train, 2 validation, 3 test structures"),
                r.err());

        double[] mae = new double[5];
        for (int k = 0; k < 5; k++) {
            Path fold = out.resolve("fold_" + k);
            TrainConfig cfg =
                    ConfigLoader.load(fold.resolve("config.yaml"), List.of(), TrainConfig.class);
            assertEquals("matbench_fold_" + k, cfg.data().split(), "each fold run names its fold");
            List<String> rows = Files.readAllLines(fold.resolve("predictions.csv"));
            Set<String> ids = new TreeSet<>();
            double sum = 0;
            int within1 = 0;
            for (String row : rows.subList(1, rows.size())) {
                String[] c = row.split(",");
                ids.add(c[0]);
                double error = Math.abs(Double.parseDouble(c[1]) - Double.parseDouble(c[2]));
                sum += error;
                double sigma = Math.sqrt(Double.parseDouble(c[7]) + Double.parseDouble(c[8]));
                within1 += error <= sigma ? 1 : 0;
            }
            assertEquals(
                    new TreeSet<>(TEST_IDS.get(k)), ids, "fold " + k + " tests Matbench's ids");
            mae[k] = sum / ids.size();
            // every run folder gets its parity plot and, evidential, its calibration
            for (String f :
                    List.of("parity.svg", "parity.png", "calibration.svg", "calibration.png")) {
                assertTrue(Files.exists(fold.resolve(f)), fold + "/" + f);
            }
            List<String> calibration = Files.readAllLines(fold.resolve("calibration.csv"));
            String[] atOne = calibration.get(21).split(","); // k = 0, 0.05, ..., 1
            assertEquals("1.00", atOne[0]);
            assertEquals(within1 / 3.0, Double.parseDouble(atOne[1]), 1e-6, "fold " + k);
        }

        JsonNode summary = new ObjectMapper().readTree(out.resolve("matbench_folds.json").toFile());
        assertEquals("matbench_jdft2d", summary.get("task").asText());
        assertEquals("meV/atom", summary.get("unit").asText());
        double mean = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 5; k++) {
            double reported = summary.get("fold_mae").get("fold_" + k).asDouble();
            assertEquals(mae[k], reported, 1e-6 * mae[k], "fold " + k);
            assertEquals(3, summary.get("fold_test_size").get("fold_" + k).asInt());
            mean += reported / 5;
            max = Math.max(max, reported);
        }
        assertEquals(mean, summary.get("mae_mean").asDouble(), 1e-9 * mean);
        assertEquals(max, summary.get("mae_max").asDouble(), 0);
        assertTrue(
                r.out()
                        .contains(
                                String.format(
                                        Locale.ROOT,
                                        "| matbench_jdft2d (meV/atom) | %.4f | %.4f | %.4f |",
                                        mean,
                                        summary.get("mae_std").asDouble(),
                                        max)),
                r.out());

        // a second run finds every fold finished and summarises the same models again
        String first = Files.readString(out.resolve("matbench_folds.json"));
        CliRunner again = CliRunner.run(args);
        assertEquals(0, again.code(), again.err());
        assertEquals(first, Files.readString(out.resolve("matbench_folds.json")));
    }
}
