package org.fusionml.train.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void shippedConfigsLoad() {
    TrainConfig paper = ConfigLoader.load(Path.of("../configs/jdft2d-alignn-der.yaml"), List.of(), TrainConfig.class);
    assertEquals(256, paper.model().hidden());
    assertEquals(128, paper.train().batchSize());
    assertEquals(0.01, paper.loss().lambda(), 0);
    TrainConfig small = ConfigLoader.load(Path.of("../configs/jdft2d-alignn-small.yaml"), List.of("train.epochs=2"), TrainConfig.class);
    assertEquals(64, small.model().hidden());
    assertEquals(2, small.train().epochs(), "command line beats YAML");
  }

  @Test
  void defaultsApplyWhereYamlIsSilent() {
    TrainConfig c = ConfigLoader.load(null, List.of(), TrainConfig.class);
    assertEquals(4, c.model().alignnLayers());
    assertEquals("onecycle", c.train().schedule());
    assertTrue(c.train().cycleMomentum(), "one-cycle cycles beta1 unless told not to, as PyTorch's OneCycleLR");
    TrainConfig cosine = ConfigLoader.load(null, List.of("train.schedule=cosine"), TrainConfig.class);
    assertEquals(false, cosine.train().cycleMomentum(), "no other schedule cycles it");
    assertEquals(42L, c.data().testSeed());
  }

  @Test
  void unknownKeyNamesFileLineAndValidKeys() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "train:\n  epochs: 3\n  epohcs: 4\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
    assertTrue(e.getMessage().startsWith(f + ": unknown key 'train.epohcs' (line 3); valid keys: "), e.getMessage());
    assertTrue(e.getMessage().contains("batch_size") && e.getMessage().contains("epochs"), e.getMessage());
  }

  @Test
  void wrongTypesAndRangesAreReported() throws Exception {
    Path f = dir.resolve("bad.yaml");
    Files.writeString(f, "train:\n  epochs: many\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
    assertTrue(e.getMessage().contains("'train.epochs'"), e.getMessage());
    InvalidInputException r = assertThrows(InvalidInputException.class, () -> ConfigLoader.load(null, List.of("train.schedule=linear"), TrainConfig.class));
    assertTrue(r.getMessage().contains("train.schedule 'linear' is not known; valid: onecycle, cosine, constant"), r.getMessage());
    InvalidInputException m = assertThrows(InvalidInputException.class,
        () -> ConfigLoader.load(null, List.of("train.schedule=cosine", "train.cycle_momentum=true"), TrainConfig.class));
    assertTrue(m.getMessage().contains("train.cycle_momentum needs train.schedule onecycle (it is cosine)"), m.getMessage());
    InvalidInputException s = assertThrows(InvalidInputException.class, () -> ConfigLoader.load(null, List.of("train.epochs"), TrainConfig.class));
    assertTrue(s.getMessage().contains("is not key.path=value"), s.getMessage());
  }
}
