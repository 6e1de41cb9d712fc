package org.fusionml.train.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.dataset.Splits;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.GraphTrainer;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs the commands cannot or should not write, a full disk, broken saved models and
 * checkpoints, and a loop folder in use: each is exit code 2, one line naming the file and the
 * problem, and nothing left behind.
 */
class HostileOutputsTest {
    @TempDir Path dir;
    @TempDir static Path shared;
    private static Path model;

    /** One copper atom in a 3 A cube, as pymatgen writes it. */
    private static final String CUBE =
            "[{\"lattice\":{\"matrix\":[[3,0,0],[0,3,0],[0,0,3]]},\"sites\":[{\"species\":"
                    + "[{\"element\":\"Cu\",\"occu\":1}],\"abc\":[0,0,0]}]}]";

    /** A saved model of one tiny training (the predict cases copy it). */
    @BeforeAll
    static void train() throws IOException {
        CrystalDataset data =
                DatasetLoader.embeddedDefault().select(IntStream.range(0, 12).toArray());
        TrainConfig cfg =
                ConfigLoader.load(
                        null,
                        List.of(
                                "model.alignn_layers=1",
                                "model.gcn_layers=1",
                                "model.hidden=8",
                                "model.embedding=8",
                                "train.batch_size=4",
                                "train.epochs=1"),
                        TrainConfig.class);
        model = shared.resolve("run");
        new GraphTrainer(cfg, new PrintWriter(new StringWriter()))
                .train(data, Splits.trainValTest(data.size(), 0.25, 0.25, 0, 42), model);
    }

    private Path input() throws IOException {
        Path f = dir.resolve("cube.json");
        if (!Files.exists(f)) {
            Files.writeString(f, CUBE);
        }
        return f;
    }

    /** Every path under {@code dir} with its size (folders -1): what a command left behind. */
    private Map<String, Long> contents() throws IOException {
        Map<String, Long> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                all.put(
                        dir.relativize(p).toString(),
                        Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : -1L);
            }
        }
        return all;
    }

    /** Runs the command line; asserts exit code 2 and a single line on stderr, and returns it. */
    private static String refused(String... args) {
        CliRunner r = CliRunner.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(1, lines.size(), r.err());
        assertEquals("", r.out());
        return lines.get(0);
    }

    /**
     * Every kind of target that is not a regular file: refused before any work, nothing written.
     */
    @Test
    void outputsThatAreNotRegularFilesAreRefused() throws Exception {
        Path in = input();
        Path folder = Files.createDirectory(dir.resolve("folder"));
        Path file = Files.writeString(dir.resolve("table.csv"), "keep");
        Path toNull = Files.createSymbolicLink(dir.resolve("null.json"), Path.of("/dev/null"));
        Path fifo = dir.resolve("pipe");
        boolean pipes = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {folder.toString(), ": is a folder, not a regular file"});
        cases.add(
                new String[] {
                    file + "/out.json", ": cannot be created: " + file + " is a file, not a folder"
                });
        cases.add(
                new String[] {
                    toNull.toString(), ": is a character device (/dev/null), not a regular file"
                });
        for (String device : List.of("/dev/null", "/dev/full")) {
            if (Files.exists(Path.of(device))) {
                cases.add(new String[] {device, ": is a character device, not a regular file"});
            }
        }
        if (pipes) {
            cases.add(new String[] {fifo.toString(), ": is a pipe, not a regular file"});
        }
        Map<String, Long> before = contents();
        for (String[] c : cases) {
            for (String command : List.of("graph", "symmetry")) {
                String line = refused(command, "--input", in.toString(), "--output", c[0]);
                assertTrue(line.startsWith(c[0] + c[1]), line);
            }
            String line =
                    refused(
                            "predict",
                            "--model",
                            model.toString(),
                            "--input",
                            in.toString(),
                            "--output",
                            c[0]);
            assertTrue(line.startsWith(c[0] + c[1]), line);
        }
        assertEquals(before, contents(), "nothing written, nothing removed");
        assertEquals("keep", Files.readString(file));
    }

    /** Run and loop folders that are files (or under one) are refused the same way. */
    @Test
    void outputFoldersThatAreFilesAreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("run"), "keep");
        Map<String, Long> before = contents();
        String line = refused("train", "--set=train.epochs=1", "--output", file.toString());
        assertEquals(file + ": cannot be created: " + file + " is a file, not a folder", line);
        line =
                refused(
                        "loop",
                        "../configs/quickstart.yaml",
                        "--output",
                        file.resolve("loop").toString());
        assertTrue(
                line.startsWith(
                        file.resolve("loop")
                                + ": cannot be created: "
                                + file
                                + " is a file, not a folder"),
                line);
        assertEquals(before, contents());
    }

    /** A full disk, injected as the temporary file is complete: one line, the old file kept. */
    @Test
    void aFullDiskIsOneLineNamingTheFileAndNothingIsHalfWritten() throws Exception {
        Path in = input();
        Path out = dir.resolve("graph.json");
        Files.writeString(out, "previous");
        Map<String, Long> before = contents();
        try (AtomicFiles.Injected i =
                AtomicFiles.injectFault(
                        (step, target) -> {
                            if (step == AtomicFiles.Step.WRITTEN) {
                                throw new IOException("No space left on device");
                            }
                        })) {
            assertEquals(
                    out
                            + ": no space left on device; nothing was written (the previous file,"
                            + " if any, is unchanged)",
                    refused("graph", "--input", in.toString(), "--output", out.toString()));
        }
        assertEquals(before, contents(), "no temporary file left");
        assertEquals("previous", Files.readString(out));
    }

    private Path copyOfModel(String name) throws IOException {
        Path copy = Files.createDirectories(dir.resolve(name));
        for (String f : List.of("model.json", "model.params")) {
            Files.copy(model.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    private String predict(Path savedModel) throws IOException {
        Path out = dir.resolve("pred.csv");
        String line =
                refused(
                        "predict",
                        "--model",
                        savedModel.toString(),
                        "--input",
                        input().toString(),
                        "--output",
                        out.toString());
        assertTrue(!Files.exists(out), "no predictions written");
        return line;
    }

    @Test
    void aBrokenSavedModelIsOneLineNamingTheFile() throws Exception {
        String again =
                "; save the model again (rerun its training) or restore both files from one save";
        Path garbage = copyOfModel("garbage");
        Files.writeString(garbage.resolve("model.json"), "{\"format_version\": 2, \"model\": ");
        String line = predict(garbage);
        assertTrue(
                line.startsWith(garbage.resolve("model.json") + ": not valid JSON: ")
                        && line.endsWith(again),
                line);

        Path noStd = copyOfModel("no_std");
        String json = Files.readString(noStd.resolve("model.json"));
        Files.writeString(
                noStd.resolve("model.json"), json.replaceFirst("\"target_std\"", "\"std\""));
        assertEquals(
                noStd.resolve("model.json")
                        + ": target_std is missing or not a finite number"
                        + again,
                predict(noStd));

        Path truncated = copyOfModel("truncated");
        byte[] params = Files.readAllBytes(truncated.resolve("model.params"));
        Files.write(truncated.resolve("model.params"), Arrays.copyOf(params, params.length / 2));
        assertEquals(
                truncated.resolve("model.params")
                        + ": does not match model.json (SHA-256 differs): damaged, or the two files"
                        + " come from different saves"
                        + again,
                predict(truncated));

        // A model.json of earlier versions has no hash: loading itself finds the damage.
        Path older = copyOfModel("older");
        Files.writeString(
                older.resolve("model.json"),
                Files.readString(older.resolve("model.json"))
                        .replaceFirst("\"parameters_sha256\" : \"[0-9a-f]+\",", ""));
        Files.write(older.resolve("model.params"), Arrays.copyOf(params, params.length / 2));
        line = predict(older);
        assertTrue(
                line.startsWith(older.resolve("model.params") + ": not parameters of this model (")
                        && line.endsWith("); the file is damaged or belongs to another model"),
                line);

        Path missing = copyOfModel("missing");
        Files.delete(missing.resolve("model.params"));
        assertEquals(
                missing.resolve("model.params")
                        + ": missing: the model was not saved completely"
                        + again,
                predict(missing));
    }

    /**
     * {@code fusion train} into a folder with a damaged checkpoint: refused after its header line,
     * the folder as it was.
     */
    @Test
    void aDamagedCheckpointIsOneLineAndTheRunIsLeftAsItIs() throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        byte[] cp = Files.readAllBytes(model.resolve("checkpoint.bin"));
        Files.write(run.resolve("checkpoint.bin"), Arrays.copyOf(cp, cp.length - 1));
        Map<String, Long> before = contents();
        CliRunner r = CliRunner.run("train", "--set=train.epochs=1", "--output", run.toString());
        assertEquals(2, r.code(), r.err());
        List<String> lines = r.err().strip().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(
                lines.get(0).startsWith("train matbench_jdft2d: "), "the header: " + lines.get(0));
        assertEquals(
                run.resolve("checkpoint.bin")
                        + ": damaged or truncated (its SHA-256 does not match its content); the"
                        + " run cannot resume from it: delete it to train this run again from the"
                        + " start, or use another output folder",
                lines.get(1));
        assertEquals(before, contents());
    }

    /** A loop folder locked by a process that cannot be checked (another host) is refused. */
    @Test
    void aLoopFolderInUseIsRefused() throws Exception {
        Path loop = Files.createDirectories(dir.resolve("loop"));
        Files.writeString(
                loop.resolve("loop.lock"),
                "{\"pid\": 4242, \"host\": \"elsewhere.invalid\", \"started\": null, \"command\":"
                        + " \"fusion loop\"}");
        Map<String, Long> before = contents();
        assertEquals(
                loop.resolve("loop.lock")
                        + ": this folder is in use by fusion loop (pid 4242 on host"
                        + " elsewhere.invalid); wait for it to finish or stop it, or use another"
                        + " --output (if no such process runs, delete this file)",
                refused(
                        "loop",
                        "--config",
                        "../configs/quickstart.yaml",
                        "--output",
                        loop.toString()));
        String line =
                refused(
                        "loop",
                        "../configs/quickstart.yaml",
                        "--output",
                        loop.toString(),
                        "--cell",
                        "0");
        assertTrue(line.startsWith(loop.resolve("loop.lock") + ": this folder is in use"), line);
        assertEquals(before, contents(), "no loop.yaml, no cell lock left");
    }
}
