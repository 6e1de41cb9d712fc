package org.fusionml.train.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.cgcnn.CgcnnConfig;
import org.fusionml.models.crystalframer.CrystalframerConfig;
import org.fusionml.models.deepergatgnn.DeeperGatgnnConfig;
import org.fusionml.models.ecomformer.EcomformerConfig;
import org.fusionml.models.icomformer.IcomformerConfig;
import org.fusionml.models.matformer.MatformerConfig;
import org.fusionml.models.megnet.MegnetConfig;
import org.fusionml.models.sodnet.SodnetConfig;
import org.fusionml.train.trainer.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir Path dir;

    @Test
    void shippedConfigsLoad() {
        TrainConfig paper =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-alignn-der.yaml"), List.of(), TrainConfig.class);
        assertEquals(256, ((AlignnConfig) paper.model()).hidden());
        assertEquals(128, paper.train().batchSize());
        assertEquals(0.01, paper.loss().lambda(), 0);
        TrainConfig small =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-alignn-small.yaml"),
                        List.of("train.epochs=2"),
                        TrainConfig.class);
        assertEquals(64, ((AlignnConfig) small.model()).hidden());
        assertEquals(2, small.train().epochs(), "command line beats YAML");
    }

    @Test
    void megnetAndDeeperGatgnnConfigsLoadAndServeAsLoopTargets() throws Exception {
        TrainConfig megnet =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-megnet.yaml"), List.of(), TrainConfig.class);
        assertEquals(MegnetConfig.defaults().withHead("regression"), megnet.model());
        TrainConfig gatgnn =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-deepergatgnn.yaml"),
                        List.of("model.conv_layers=6"),
                        TrainConfig.class);
        assertEquals(
                DeeperGatgnnConfig.of(
                        6, 32, null, null, null, null, null, null, null, "regression", null),
                gatgnn.model());
        // the resolved configuration reads back equal
        Path again = Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(gatgnn));
        assertEquals(gatgnn, ConfigLoader.load(again, List.of(), TrainConfig.class));
        Path loop = dir.resolve("loop.yaml");
        Files.writeString(
                loop,
                String.join(
                        "\n",
                        "targets:",
                        "  - model: {type: megnet, blocks: 2, head: regression}",
                        "    loss: {type: mae}",
                        "  - model: {type: deepergatgnn, conv_layers: 4, head: regression}",
                        "    loss: {type: mae}",
                        ""));
        LoopConfig l = ConfigLoader.load(loop, List.of(), LoopConfig.class);
        assertEquals(
                List.of("megnet", "deepergatgnn"),
                l.targets().stream().map(t -> t.model().name()).toList());
        assertEquals(2, ((MegnetConfig) l.targets().get(0).model()).blocks());
        assertEquals(4, ((DeeperGatgnnConfig) l.targets().get(1).model()).convLayers());
    }

    @Test
    void matformerAndIcomformerConfigsLoadAndServeAsLoopTargets() throws Exception {
        TrainConfig matformer =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-matformer.yaml"), List.of(), TrainConfig.class);
        assertEquals(
                MatformerConfig.of(5, 64, 2, 128, 64, 8.0, 12, "regression", null),
                matformer.model());
        TrainConfig icomformer =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-icomformer.yaml"),
                        List.of("model.features=256", "model.fc_features=256"),
                        TrainConfig.class);
        assertEquals(
                IcomformerConfig.of(4, 256, 1, 64, 64, 256, 4.0, 25, "regression", null),
                icomformer.model());
        // the resolved configurations read back equal
        for (TrainConfig c : List.of(matformer, icomformer)) {
            Path again = Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(c));
            assertEquals(c, ConfigLoader.load(again, List.of(), TrainConfig.class));
        }
        Path loop = dir.resolve("loop.yaml");
        Files.writeString(
                loop,
                String.join(
                        "\n",
                        "targets:",
                        "  - model: {type: matformer, conv_layers: 3, head: regression}",
                        "    loss: {type: mae}",
                        "  - model: {type: icomformer, conv_layers: 2, head: regression}",
                        "    loss: {type: mae}",
                        ""));
        LoopConfig l = ConfigLoader.load(loop, List.of(), LoopConfig.class);
        assertEquals(
                List.of("matformer", "icomformer"),
                l.targets().stream().map(t -> t.model().name()).toList());
        assertEquals(3, ((MatformerConfig) l.targets().get(0).model()).convLayers());
        assertEquals(2, ((IcomformerConfig) l.targets().get(1).model()).convLayers());
        // iComFormer's edge-wise layer follows the first node-wise one: one layer is refused
        InvalidInputException one =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=icomformer", "model.conv_layers=1"),
                                        TrainConfig.class));
        assertTrue(
                one.getMessage().contains("model.conv_layers (1) must be >= 2"), one.getMessage());
    }

    @Test
    void ecomformerConfigLoadsAndServesAsLoopTarget() throws Exception {
        TrainConfig ecomformer =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-ecomformer.yaml"),
                        List.of("model.scalars=64", "model.vectors=8"),
                        TrainConfig.class);
        assertEquals(
                EcomformerConfig.of(3, 64, 1, 64, 64, 8, 64, 4.0, 25, "regression", null),
                ecomformer.model());
        Path again = Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(ecomformer));
        assertEquals(ecomformer, ConfigLoader.load(again, List.of(), TrainConfig.class));
        Path loop = dir.resolve("loop.yaml");
        Files.writeString(
                loop,
                String.join(
                        "\n",
                        "targets:",
                        "  - model: {type: ecomformer, conv_layers: 1, vectors: 2, head:"
                                + " regression}",
                        "    loss: {type: mae}",
                        ""));
        LoopConfig l = ConfigLoader.load(loop, List.of(), LoopConfig.class);
        EcomformerConfig target = (EcomformerConfig) l.targets().get(0).model();
        assertEquals(1, target.convLayers());
        assertEquals(2, target.vectors());
        assertEquals(64, target.scalars());
        InvalidInputException none =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=ecomformer", "model.vectors=0"),
                                        TrainConfig.class));
        assertTrue(none.getMessage().contains("model.vectors (0) must be >= 1"), none.getMessage());
    }

    @Test
    void crystalframerConfigLoadsAndServesAsLoopTarget() throws Exception {
        TrainConfig crystalframer =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-crystalframer.yaml"),
                        List.of("model.heads=8", "model.angle_bins=64"),
                        TrainConfig.class);
        assertEquals(
                CrystalframerConfig.of(4, 64, 8, 256, 32, 64, 64, 1.4, 6.0, "regression", null),
                crystalframer.model());
        Path again =
                Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(crystalframer));
        assertEquals(crystalframer, ConfigLoader.load(again, List.of(), TrainConfig.class));
        Path loop = dir.resolve("loop.yaml");
        Files.writeString(
                loop,
                String.join(
                        "\n",
                        "targets:",
                        "  - model: {type: crystalframer, layers: 2, scale: 1.2, head: regression}",
                        "    loss: {type: mae}",
                        ""));
        LoopConfig l = ConfigLoader.load(loop, List.of(), LoopConfig.class);
        CrystalframerConfig target = (CrystalframerConfig) l.targets().get(0).model();
        assertEquals(2, target.layers());
        assertEquals(1.2, target.scale());
        assertEquals(CrystalframerConfig.defaults().features(), target.features());
        assertEquals(7.0, target.cutoff());
        InvalidInputException heads =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=crystalframer", "model.heads=3"),
                                        TrainConfig.class));
        assertTrue(
                heads.getMessage().contains("model.features (128) must be a multiple of heads (3)"),
                heads.getMessage());
    }

    @Test
    void defaultsApplyWhereYamlIsSilent() {
        TrainConfig c = ConfigLoader.load(null, List.of(), TrainConfig.class);
        assertEquals(4, ((AlignnConfig) c.model()).alignnLayers());
        assertEquals("onecycle", c.train().schedule());
        assertTrue(
                c.train().cycleMomentum(),
                "one-cycle cycles beta1 unless told not to, as PyTorch's OneCycleLR");
        TrainConfig cosine =
                ConfigLoader.load(null, List.of("train.schedule=cosine"), TrainConfig.class);
        assertEquals(false, cosine.train().cycleMomentum(), "no other schedule cycles it");
        assertEquals(42L, c.data().testSeed());
    }

    @Test
    void unknownKeyNamesFileLineAndValidKeys() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "train:\n  epochs: 3\n  epohcs: 4\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
        assertTrue(
                e.getMessage()
                        .startsWith(f + ": unknown key 'train.epohcs' (line 3); valid keys: "),
                e.getMessage());
        assertTrue(
                e.getMessage().contains("batch_size") && e.getMessage().contains("epochs"),
                e.getMessage());
    }

    @Test
    void scoringVariantsResolveOverTheLoopsScoresAndAreChecked() {
        LoopConfig c =
                ConfigLoader.load(
                        null,
                        List.of(
                                "scores.gamma=2.0",
                                "score_variants={authors: {weighting: euclidean, gamma: 0.1},"
                                        + " lambda1: {lambda: 1.0}}",
                                "methods=[fusion, fusion@authors, uncertainty@lambda1]"),
                        LoopConfig.class);
        assertEquals(2.0, c.scores().gamma());
        assertEquals(0.1, c.resolvedScoreVariants().get("authors").gamma());
        assertEquals("euclidean", c.resolvedScoreVariants().get("authors").weighting());
        assertEquals(2.0, c.resolvedScoreVariants().get("lambda1").gamma(), "kept from scores");
        assertEquals(1.0, c.resolvedScoreVariants().get("lambda1").lambda());
        assertEquals(
                List.of("authors", "lambda1"), List.copyOf(c.resolvedScoreVariants().keySet()));
        String[][] bad = {
            {"methods=[fusion@nope]", "no score_variants entry 'nope'"},
            {"methods=[random@a]", "only a score-based method takes a scoring variant"},
            {"score_variants={A: {gamma: 1.0}}", "the name 'A' must be lower-case"},
            {"score_variants={a: {gamma: -1.0}}", "score_variants.a: scores.gamma (-1.0)"},
        };
        for (String[] b : bad) {
            List<String> overrides =
                    b[0].startsWith("methods")
                            ? List.of("score_variants={a: {gamma: 1.0}}", b[0])
                            : List.of(b[0]);
            InvalidInputException e =
                    assertThrows(
                            InvalidInputException.class,
                            () -> ConfigLoader.load(null, overrides, LoopConfig.class));
            assertTrue(e.getMessage().contains(b[1]), b[0] + ": " + e.getMessage());
        }
    }

    @Test
    void wrongTypesAndRangesAreReported() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "train:\n  epochs: many\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
        assertTrue(e.getMessage().contains("'train.epochs'"), e.getMessage());
        InvalidInputException r =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null, List.of("train.schedule=linear"), TrainConfig.class));
        assertTrue(
                r.getMessage()
                        .contains(
                                "train.schedule 'linear' is not known; valid: onecycle, cosine,"
                                        + " constant"),
                r.getMessage());
        InvalidInputException m =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of(
                                                "train.schedule=cosine",
                                                "train.cycle_momentum=true"),
                                        TrainConfig.class));
        assertTrue(
                m.getMessage()
                        .contains(
                                "train.cycle_momentum needs train.schedule onecycle (it is"
                                        + " cosine)"),
                m.getMessage());
        InvalidInputException s =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(null, List.of("train.epochs"), TrainConfig.class));
        assertTrue(s.getMessage().contains("is not key.path=value"), s.getMessage());
    }

    @Test
    void eachArchitectureIsItsOwnTypeWithItsOwnKeys() throws Exception {
        Path f = dir.resolve("cgcnn.yaml");
        Files.writeString(
                f, "model: {type: cgcnn, conv_layers: 2, head: regression}\nloss: {type: mae}\n");
        TrainConfig c = ConfigLoader.load(f, List.of(), TrainConfig.class);
        assertEquals(
                CgcnnConfig.of(2, null, null, null, null, null, "regression", null), c.model());
        // the resolved configuration is written in the same spelling and reads back equal
        Path again = Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(c));
        assertTrue(Files.readString(again).contains("type: \"cgcnn\""), Files.readString(again));
        assertEquals(c, ConfigLoader.load(again, List.of(), TrainConfig.class));
        // a key of another architecture is unknown here, with the type's own keys listed
        Files.writeString(f, "model: {type: schnet, alignn_layers: 2}\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                f + ": unknown key 'model.alignn_layers' (line 1); valid keys: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("interactions"), e.getMessage());
        InvalidInputException t =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=transformer"),
                                        TrainConfig.class));
        assertTrue(
                t.getMessage()
                        .contains(
                                "model.type 'transformer' is not known; valid: alignn, cgcnn,"
                                        + " schnet, megnet, deepergatgnn, matformer,"
                                        + " icomformer"),
                t.getMessage());
    }

    /** Flow-style sections (every loop configuration uses them) report the line of the bad key. */
    @Test
    void aTypoInAFlowStyleSectionNamesItsLine() throws Exception {
        Path f = dir.resolve("flow.yaml");
        Files.writeString(f, "# a loop\ntarget:\n  model: {type: alignn, hiden: 64}\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(f, List.of(), LoopConfig.class));
        assertTrue(
                e.getMessage().startsWith(f + ": unknown key 'target.model.hiden' (line 3)"),
                e.getMessage());
        InvalidInputException set =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        f, List.of("target.model.hiden=3"), LoopConfig.class));
        assertTrue(set.getMessage().contains("(line 3)"), set.getMessage());
        InvalidInputException fromSet =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        dir.resolve("ok.yaml"), List.of(), LoopConfig.class));
        assertTrue(fromSet.getMessage().contains("file not found"), fromSet.getMessage());
    }

    @Test
    void duplicateKeysAndFractionalIntegersAreErrors() throws Exception {
        Path f = dir.resolve("dup.yaml");
        Files.writeString(f, "train:\n  epochs: 3\n  epochs: 4\n");
        InvalidInputException e =
                assertThrows(
                        InvalidInputException.class,
                        () -> ConfigLoader.load(f, List.of(), TrainConfig.class));
        assertTrue(e.getMessage().contains("epochs"), e.getMessage());
        InvalidInputException i =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null, List.of("train.epochs=3.5"), TrainConfig.class));
        assertTrue(i.getMessage().contains("'train.epochs'"), i.getMessage());
    }

    @Test
    void sodnetConfigLoadsAndServesAsLoopTarget() throws Exception {
        TrainConfig sodnet =
                ConfigLoader.load(
                        Path.of("../configs/jdft2d-sodnet.yaml"),
                        List.of("model.heads=8", "model.max_neighbors=32"),
                        TrainConfig.class);
        assertEquals(
                SodnetConfig.of(
                        3, 2, 32, 16, 8, 8, 2, 64, 32, 128, 0.0, 8.0, 32, "regression", null),
                sodnet.model());
        assertArrayEquals(new int[] {32, 16, 8}, ((SodnetConfig) sodnet.model()).channels());
        Path again = Files.writeString(dir.resolve("again.yaml"), ConfigLoader.toYaml(sodnet));
        assertEquals(sodnet, ConfigLoader.load(again, List.of(), TrainConfig.class));
        Path loop = dir.resolve("loop.yaml");
        Files.writeString(
                loop,
                String.join(
                        "\n",
                        "targets:",
                        "  - model: {type: sodnet, layers: 1, max_degree: 1, head: regression}",
                        "    loss: {type: mae}",
                        ""));
        LoopConfig l = ConfigLoader.load(loop, List.of(), LoopConfig.class);
        SodnetConfig target = (SodnetConfig) l.targets().get(0).model();
        assertEquals(1, target.layers());
        assertArrayEquals(new int[] {128, 64}, target.channels());
        assertEquals(512, target.features());
        assertEquals(32, target.maxNeighbors());
        InvalidInputException odd =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=sodnet", "model.vectors=60"),
                                        TrainConfig.class));
        assertTrue(
                odd.getMessage()
                        .contains(
                                "model.vectors (60) must be a positive multiple of"
                                        + " model.heads (8)"),
                odd.getMessage());
        InvalidInputException degree =
                assertThrows(
                        InvalidInputException.class,
                        () ->
                                ConfigLoader.load(
                                        null,
                                        List.of("model.type=sodnet", "model.max_degree=3"),
                                        TrainConfig.class));
        assertTrue(
                degree.getMessage().contains("model.max_degree (3) must be <= 2"),
                degree.getMessage());
    }
}
