package org.fusionml.train.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fusionml.data.InvalidInputException;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.config.LoopConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoopDirectoryTest {
    @TempDir Path dir;

    private static LoopConfig config(String... sets) {
        List<String> all =
                new ArrayList<>(List.of("seeds=[0]", "ratios=[0.2]", "target.model.hidden=16"));
        all.addAll(List.of(sets));
        return ConfigLoader.load(null, all, LoopConfig.class);
    }

    @Test
    void aChangedSettingIsRefusedWithItsKeysAndTheGridMayGrow() throws Exception {
        Path out = dir.resolve("loop");
        LoopDirectory.claim(out, config(), false);
        Files.writeString(out.resolve("cells").resolve("kept.json"), "{}");
        // the grid keys only choose cells: more seeds, ratios and methods resume into the same
        // folder
        LoopDirectory.claim(
                out,
                config("seeds=[0, 1, 2]", "ratios=[0.2, 0.4]", "methods=[fusion, random, msc]"),
                false);
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                LoopDirectory.claim(
                                        out,
                                        config("scores.gamma=0.1", "target.train.epochs=7"),
                                        false));
        assertTrue(e.getMessage().startsWith(out.resolve("loop.yaml") + ": "), e.getMessage());
        assertTrue(
                e.getMessage()
                        .contains("keys that differ: scores.gamma, targets[alignn].train.epochs"),
                e.getMessage());
        assertTrue(
                Files.exists(out.resolve("cells").resolve("kept.json")),
                "nothing deleted without --restart");
        // starting over deletes what the loop wrote and records the new settings
        LoopDirectory.claim(out, config("scores.gamma=0.1"), true);
        assertFalse(Files.exists(out.resolve("cells").resolve("kept.json")));
        assertEquals(
                0.1,
                ConfigLoader.YAML
                        .readTree(out.resolve("loop.yaml").toFile())
                        .path("scores")
                        .path("gamma")
                        .asDouble());
    }

    @Test
    void scoringVariantsMayBeAddedButNotChanged() throws Exception {
        Path out = dir.resolve("loop");
        LoopDirectory first =
                LoopDirectory.claim(
                        out,
                        config("score_variants={a: {gamma: 0.1}}", "methods=[fusion, fusion@a]"),
                        false);
        LoopDirectory grown =
                LoopDirectory.claim(
                        out,
                        config(
                                "score_variants={a: {gamma: 0.1}, b: {lambda: 1.0}}",
                                "methods=[fusion, fusion@a, fusion@b]"),
                        false);
        assertEquals(
                first.cellSettingsSha256("alignn"),
                grown.cellSettingsSha256("alignn"),
                "a new variant leaves the other cells' settings as they were");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                LoopDirectory.claim(
                                        out,
                                        config(
                                                "score_variants={a: {gamma: 0.5}}",
                                                "methods=[fusion@a]"),
                                        false));
        assertTrue(
                e.getMessage().contains("keys that differ: score_variants.a.gamma"),
                e.getMessage());
    }

    @Test
    void aCellsHashFollowsItsOwnTargetOnly() throws Exception {
        LoopDirectory a = LoopDirectory.claim(dir.resolve("a"), config(), false);
        LoopDirectory b = LoopDirectory.claim(dir.resolve("b"), config("seeds=[0, 5]"), false);
        LoopDirectory c =
                LoopDirectory.claim(dir.resolve("c"), config("target.train.epochs=3"), false);
        assertEquals(
                a.cellSettingsSha256("alignn"),
                b.cellSettingsSha256("alignn"),
                "the grid does not enter");
        assertNotEquals(a.cellSettingsSha256("alignn"), c.cellSettingsSha256("alignn"));
    }

    /** The committed result folders resume with the configurations that made them. */
    @Test
    void aKeyAddedSinceTheFolderWasWrittenTakesItsDefault() throws Exception {
        Path out = dir.resolve("loop");
        LoopDirectory.claim(out, config(), false);
        Path yaml = out.resolve("loop.yaml");
        String written = Files.readString(yaml);
        assertTrue(written.contains("aleatoric: \"expected_variance\""), written);
        // a loop.yaml of a build before scores.aleatoric existed
        Files.writeString(yaml, written.replaceAll("(?m)^\\s*aleatoric: .*\\n", ""));
        assertFalse(Files.readString(yaml).contains("aleatoric"));
        LoopDirectory.claim(out, config(), false); // the default is the old behaviour
        Files.writeString(yaml, written.replaceAll("(?m)^\\s*aleatoric: .*\\n", ""));
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                LoopDirectory.claim(
                                        out, config("scores.aleatoric=beta_over_alpha"), false));
        assertTrue(e.getMessage().contains("keys that differ: scores.aleatoric"), e.getMessage());
    }

    @Test
    void committedResultsMatchTheirConfigurations() throws Exception {
        Map<String, String> made =
                Map.of(
                        "jdft2d-id",
                        "jdft2d-loop-id.yaml",
                        "jdft2d-ood",
                        "jdft2d-loop-ood.yaml",
                        "jdft2d-architectures",
                        "jdft2d-loop-architectures.yaml",
                        "quickstart",
                        "quickstart.yaml");
        for (var e : made.entrySet()) {
            JsonNode recorded =
                    LoopDirectory.recorded(Path.of("../docs/results", e.getKey(), "loop.yaml"));
            LoopConfig now =
                    ConfigLoader.load(
                            Path.of("../configs", e.getValue()), List.of(), LoopConfig.class);
            assertEquals(
                    List.of(),
                    LoopDirectory.differingKeys(recorded, ConfigLoader.YAML.valueToTree(now)),
                    e.getKey());
        }
    }
}
