package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetEntry;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Split;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.CsvTable;
import org.fusionml.data.io.Sources;
import org.fusionml.data.structure.io.Poscar;
import org.fusionml.data.structure.io.PymatgenJson;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fusion predict} end to end with tiny models trained here (1 epoch, 30 structures of the
 * embedded matbench_jdft2d): many inputs, units in the header, sigma and intervals, the MAE of the
 * inputs with targets, the out-of-domain flag, quoting, standard output and lookup by name.
 */
class PredictCommandTest {
    @TempDir static Path shared;
    @TempDir Path dir;

    private static CrystalDataset data;
    private static Split split;
    private static Path evidential;
    private static Path regression;

    private static final String FAR_POSCAR =
            "far from jdft2d\n1.0\n3 0 0\n0 3 0\n0 0 3\nHe\n1\nDirect\n0 0 0\n";

    @BeforeAll
    static void train() throws Exception {
        data = DatasetLoader.embeddedDefault().select(IntStream.range(0, 30).toArray());
        split = Splits.trainValTest(data.size(), 0.2, 0.2, 0, 42);
        evidential = shared.resolve("evidential");
        regression = shared.resolve("regression");
        train(evidential);
        train(regression, "model.head=regression", "loss.type=mae");
    }

    static void train(Path run, String... more) throws Exception {
        List<String> sets =
                new ArrayList<>(
                        List.of(
                                "model.alignn_layers=1",
                                "model.gcn_layers=1",
                                "model.hidden=16",
                                "model.embedding=8",
                                "train.batch_size=6",
                                "train.epochs=1"));
        sets.addAll(List.of(more));
        TrainConfig cfg = ConfigLoader.load(null, sets, TrainConfig.class);
        new GraphTrainer(cfg, new PrintWriter(new StringWriter())).train(data, split, run);
    }

    /** A Matbench json of the test part of the split, with targets. */
    private Path matbenchTestPart() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode index = root.putArray("index");
        root.putArray("columns").add("structure").add("exfoliation_en");
        ArrayNode rows = root.putArray("data");
        for (int i : split.test()) {
            DatasetEntry e = data.get(i);
            index.add(e.id());
            rows.addArray().add(PymatgenJson.write(e.structure())).add(e.target());
        }
        Path f = dir.resolve("matbench_test.json");
        Files.writeString(f, json.writeValueAsString(root));
        return f;
    }

    /** A folder: one training structure as POSCAR, one far structure, a README that is skipped. */
    private Path folder() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("structures"));
        DatasetEntry trained = data.get(split.train()[0]);
        Files.writeString(
                folder.resolve("a.vasp"),
                Poscar.write(trained.structure(), "Fe2O3, hematite \"alpha\""));
        Files.writeString(folder.resolve("POSCAR_far"), FAR_POSCAR);
        Files.writeString(folder.resolve("README.txt"), "not a structure");
        return folder;
    }

    private static int column(CsvTable t, String name) {
        int c = t.header().indexOf(name);
        assertTrue(c >= 0, name + " in " + t.header());
        return c;
    }

    @Test
    void folderAndMatbenchJsonGiveSigmaInTheTargetUnitTheMaeAndTheDomainFlag() throws Exception {
        Path json = matbenchTestPart();
        Path out = dir.resolve("pred.csv");
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        folder().toString(),
                        json.toString(),
                        "--output",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        CsvTable t = CsvTable.read(out);
        assertEquals(
                List.of(
                        "source",
                        "id",
                        "target_meV_per_atom",
                        "prediction_meV_per_atom",
                        "sigma_aleatoric_meV_per_atom",
                        "sigma_epistemic_meV_per_atom",
                        "sigma_total_meV_per_atom",
                        "interval95_low_meV_per_atom",
                        "interval95_high_meV_per_atom",
                        "nearest_training_id",
                        "domain_distance",
                        "out_of_domain"),
                t.header());
        List<List<String>> rows = t.rows();
        assertEquals(2 + split.test().length, rows.size());
        // the folder in name order: POSCAR_far, then a.vasp ('P' < 'a'); then the json
        List<String> far = rows.get(0);
        List<String> named = rows.get(1);
        assertEquals("far from jdft2d", far.get(1));
        assertEquals("Fe2O3, hematite \"alpha\"", named.get(1), "comma and quotes survive");
        assertTrue(
                Files.readString(out).contains("\"Fe2O3, hematite \"\"alpha\"\"\""),
                "quoted as RFC 4180");
        assertEquals("", named.get(column(t, "target_meV_per_atom")), "no target in a POSCAR");

        // out of domain: He shares no species pair with jdft2d (F . F_train = 0, distance 1); the
        // training structure is its own nearest neighbour at distance 0
        assertEquals(1.0, Double.parseDouble(far.get(column(t, "domain_distance"))), 1e-12);
        assertEquals("true", far.get(column(t, "out_of_domain")));
        assertEquals(data.get(split.train()[0]).id(), named.get(column(t, "nearest_training_id")));
        assertEquals(0.0, Double.parseDouble(named.get(column(t, "domain_distance"))), 1e-9);
        assertEquals("false", named.get(column(t, "out_of_domain")));
        assertTrue(r.out().contains("out of domain: 1 of 8 structures"), r.out());

        // sigma: total^2 = aleatoric^2 + epistemic^2; the interval is symmetric about the
        // prediction (its width: PredictiveIntervalTest)
        double absSum = 0;
        double sqSum = 0;
        for (List<String> row : rows) {
            double y = Double.parseDouble(row.get(column(t, "prediction_meV_per_atom")));
            double ale = Double.parseDouble(row.get(column(t, "sigma_aleatoric_meV_per_atom")));
            double epi = Double.parseDouble(row.get(column(t, "sigma_epistemic_meV_per_atom")));
            double tot = Double.parseDouble(row.get(column(t, "sigma_total_meV_per_atom")));
            double lo = Double.parseDouble(row.get(column(t, "interval95_low_meV_per_atom")));
            double hi = Double.parseDouble(row.get(column(t, "interval95_high_meV_per_atom")));
            assertEquals(tot * tot, ale * ale + epi * epi, 1e-9 * tot * tot);
            assertEquals(y, (lo + hi) / 2, 1e-9 * Math.max(1, Math.abs(y)));
            assertTrue(hi > lo && epi > 0 && ale > 0, row.toString());
            String target = row.get(column(t, "target_meV_per_atom"));
            if (!target.isEmpty()) {
                double d = y - Double.parseDouble(target);
                absSum += Math.abs(d);
                sqSum += d * d;
            }
        }
        int n = split.test().length;
        Matcher m =
                Pattern.compile("MAE (\\S+) RMSE (\\S+) meV/atom over the (\\d+) of 8")
                        .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(absSum / n, Double.parseDouble(m.group(1)), 1e-5 * absSum / n);
        assertEquals(Math.sqrt(sqSum / n), Double.parseDouble(m.group(2)), 1e-5 * absSum / n);
        assertEquals(n, Integer.parseInt(m.group(3)));
    }

    @Test
    void anIdPropFolderBringsItsTargets() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("id_prop"));
        StringBuilder table = new StringBuilder();
        double absSum = 0;
        Path out = dir.resolve("id_prop.csv");
        for (int k = 0; k < 2; k++) {
            DatasetEntry e = data.get(split.test()[k]);
            Files.writeString(
                    folder.resolve(e.id() + ".vasp"), Poscar.write(e.structure(), e.id()));
            table.append(e.id()).append(".vasp,").append(e.target()).append('\n');
        }
        Files.writeString(folder.resolve("id_prop.csv"), table);
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        folder.toString(),
                        "--no-domain",
                        "--output",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        CsvTable t = CsvTable.read(out);
        for (List<String> row : t.rows()) {
            absSum +=
                    Math.abs(
                            Double.parseDouble(row.get(column(t, "prediction_meV_per_atom")))
                                    - Double.parseDouble(
                                            row.get(column(t, "target_meV_per_atom"))));
        }
        assertEquals(2, t.rows().size());
        assertTrue(r.out().contains("over the 2 of 2 structures"), r.out());
        Matcher m = Pattern.compile("MAE (\\S+) ").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertEquals(absSum / 2, Double.parseDouble(m.group(1)), 1e-5 * absSum);
    }

    @Test
    void outputDashWritesTheTableToStandardOutputAndTheSummaryToStandardError() throws Exception {
        Path json = matbenchTestPart();
        Path file = dir.resolve("file.csv");
        CliRunner toFile =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        json.toString(),
                        "--output",
                        file.toString());
        CliRunner toStdout =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        json.toString(),
                        "--output",
                        "-");
        assertEquals(0, toStdout.code(), toStdout.err());
        assertEquals(Files.readString(file), toStdout.out(), "stdout holds exactly the table");
        assertTrue(toStdout.err().contains("MAE "), toStdout.err());
        assertFalse(Files.exists(Path.of("-")), "no file named -");
    }

    @Test
    void aRegressionModelHasNoSigmaColumns() throws Exception {
        Path out = dir.resolve("reg.csv");
        CliRunner r =
                CliRunner.run(
                        "predict",
                        "--model",
                        regression.toString(),
                        "--input",
                        matbenchTestPart().toString(),
                        "--no-domain",
                        "--output",
                        out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(
                List.of("source", "id", "target_meV_per_atom", "prediction_meV_per_atom"),
                CsvTable.read(out).header());
        assertTrue(r.out().contains("MAE ") && !r.out().contains("sigma"), r.out());
    }

    @Test
    void trainingDataCopiesAreCheckedBySha256() throws Exception {
        Path copy = dir.resolve("copy.json.gz");
        Files.write(copy, Sources.resource(DatasetLoader.class, DatasetLoader.EMBEDDED_RESOURCE));
        Path far = dir.resolve("POSCAR");
        Files.writeString(far, FAR_POSCAR);
        CliRunner ok =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        far.toString(),
                        "--training-data",
                        copy.toString(),
                        "--output",
                        "-");
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains(",true\n"), ok.out());
        Path other = matbenchTestPart();
        CliRunner bad =
                CliRunner.run(
                        "predict",
                        "--model",
                        evidential.toString(),
                        "--input",
                        far.toString(),
                        "--training-data",
                        other.toString(),
                        "--output",
                        "-");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("SHA-256") && bad.err().contains("--no-domain"), bad.err());
        List<String> lines = bad.err().strip().lines().toList();
        assertTrue(lines.get(lines.size() - 1).startsWith(other.toString()), bad.err());
    }

    @Test
    void modelsAreFoundByNameWithTheirProvenanceChecked() throws Exception {
        Path models = Files.createDirectories(dir.resolve("project/models/tiny-jdft2d"));
        for (String f : List.of("model.json", "model.params", "provenance.json")) {
            Files.copy(evidential.resolve(f), models.resolve(f));
        }
        Path far = dir.resolve("POSCAR");
        Files.writeString(far, FAR_POSCAR);
        String before = System.getProperty("fusion.launcher");
        System.setProperty("fusion.launcher", dir.resolve("project/fusion").toString());
        try {
            CliRunner r =
                    CliRunner.run(
                            "predict",
                            "--model",
                            "tiny-jdft2d",
                            "--input",
                            far.toString(),
                            "--output",
                            "-");
            assertEquals(0, r.code(), r.err());
            assertTrue(
                    r.err().contains("matbench_jdft2d") && r.err().contains("test MAE"), r.err());
            CliRunner unknown =
                    CliRunner.run(
                            "predict",
                            "--model",
                            "no-such-model",
                            "--input",
                            far.toString(),
                            "--output",
                            "-");
            assertEquals(2, unknown.code());
            assertTrue(unknown.err().contains("tiny-jdft2d"), "lists the names: " + unknown.err());

            byte[] params = Files.readAllBytes(models.resolve("model.params"));
            params[params.length - 1] ^= 1;
            Files.write(models.resolve("model.params"), params);
            CliRunner tampered =
                    CliRunner.run(
                            "predict",
                            "--model",
                            "tiny-jdft2d",
                            "--input",
                            far.toString(),
                            "--output",
                            "-");
            assertEquals(2, tampered.code(), tampered.err());
            assertTrue(
                    tampered.err().contains("model.params") && tampered.err().contains("SHA-256"),
                    tampered.err());

            params[params.length - 1] ^= 1;
            Files.write(models.resolve("model.params"), params);
            Files.delete(models.resolve("provenance.json"));
            CliRunner none =
                    CliRunner.run(
                            "predict",
                            "--model",
                            "tiny-jdft2d",
                            "--input",
                            far.toString(),
                            "--output",
                            "-");
            assertEquals(2, none.code());
            assertTrue(none.err().contains("no provenance.json"), none.err());
        } finally {
            if (before == null) {
                System.clearProperty("fusion.launcher");
            } else {
                System.setProperty("fusion.launcher", before);
            }
        }
    }
}
