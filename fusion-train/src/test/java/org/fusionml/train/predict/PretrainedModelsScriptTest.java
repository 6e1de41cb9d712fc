package org.fusionml.train.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fusionml.train.config.ConfigLoader;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code models/train.sh} trains each pretrained model from a committed configuration that loads,
 * on the embedded matbench_jdft2d (so that the model's training data, for the out-of-domain flag,
 * travels with the jar) or on a dataset of {@code ../shared/data} named after the model, and {@code
 * models/README.md} lists the same names.
 */
class PretrainedModelsScriptTest {
    private static final Path MODELS = Path.of("../models");

    @Test
    void everyModelOfTheScriptHasAValidConfigurationAndIsDocumented() throws Exception {
        String script = Files.readString(MODELS.resolve("train.sh"));
        Matcher m = Pattern.compile("\\[([a-z0-9-]+)\\]=(configs/\\S+\\.yaml)").matcher(script);
        Map<String, Path> configs = new LinkedHashMap<>();
        while (m.find()) {
            configs.put(m.group(1), Path.of("..").resolve(m.group(2)));
        }
        assertFalse(configs.isEmpty(), "no name=config pairs in train.sh");
        assertTrue(configs.containsKey("alignn-jdft2d"), configs.toString());
        assertTrue(configs.containsKey("alignn-perovskites"), configs.toString());
        String readme = Files.readString(MODELS.resolve("README.md"));
        for (var e : configs.entrySet()) {
            TrainConfig cfg = ConfigLoader.load(e.getValue(), List.of(), TrainConfig.class);
            String dataset = e.getKey().substring(e.getKey().indexOf('-') + 1);
            if (dataset.equals("jdft2d")) {
                assertEquals("", cfg.data().path(), e.getKey() + ": the embedded matbench_jdft2d");
            } else {
                assertTrue(
                        cfg.data().path().startsWith("../shared/data/matbench_" + dataset),
                        e.getKey() + ": " + cfg.data().path());
            }
            assertTrue(readme.contains("`" + e.getKey() + "`"), e.getKey() + " in README.md");
        }
        for (String name : List.of("alignn-jdft2d", "alignn-perovskites")) {
            assertEquals(
                    "evidential",
                    ConfigLoader.load(configs.get(name), List.of(), TrainConfig.class)
                            .model()
                            .head(),
                    name + " predicts sigma");
        }
        assertTrue(Files.isExecutable(MODELS.resolve("train.sh")));
    }
}
