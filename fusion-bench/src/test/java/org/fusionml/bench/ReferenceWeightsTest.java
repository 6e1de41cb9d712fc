package org.fusionml.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.models.batch.GraphBatchShapes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reference's state goes into the framework's ALIGNN entry by entry. The names and shapes are
 * those of the PyTorch ALIGNN of {@code ../shared/bench} at the SMALL size, listed in the test
 * resource {@code alignn_reference_small_state_shapes.json} (its {@code state_dict()}); the {@code
 * --same-start} learning check verifies the mapping numerically against the reference itself.
 */
class ReferenceWeightsTest {
    @TempDir Path dir;

    private static JsonNode shapes() throws IOException {
        try (InputStream in =
                ReferenceWeightsTest.class.getResourceAsStream(
                        "/alignn_reference_small_state_shapes.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    /**
     * A state with those names and shapes; entry k holds k * 1000 + 0, 1, 2, ... (distinct
     * everywhere).
     */
    private static ObjectNode state(JsonNode shapes) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        int k = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = shapes.fields(); it.hasNext(); k++) {
            var e = it.next();
            ObjectNode entry = root.putObject(e.getKey());
            entry.set("shape", e.getValue());
            long size = 1;
            for (JsonNode d : e.getValue()) {
                size *= d.asLong();
            }
            ArrayNode data = entry.putArray("data");
            for (int i = 0; i < size; i++) {
                data.add(k * 1000 + i % 1000);
            }
        }
        return root;
    }

    private Path write(ObjectNode state) throws IOException {
        Path f = dir.resolve("state.json");
        new ObjectMapper().writeValue(f.toFile(), state);
        return f;
    }

    private static Block smallAlignn(NDManager m) {
        Block block = AlignnConfig.small().withHead("regression").newBlock();
        block.initialize(m, DataType.FLOAT32, GraphBatchShapes.shapes());
        return block;
    }

    @Test
    void everyParameterGetsItsReferenceEntry() throws IOException {
        JsonNode shapes = shapes();
        ObjectNode state = state(shapes);
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = smallAlignn(m);
            ReferenceWeights.copy(write(state), block);
            Map<String, Parameter> byName = new HashMap<>();
            block.getParameters()
                    .forEach(
                            p ->
                                    byName.put(
                                            ReferenceWeights.frameworkName(p.getKey()),
                                            p.getValue()));
            int copied = 0;
            for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (ReferenceWeights.skipped(name)) {
                    continue;
                }
                JsonNode data = state.get(name).get("data");
                float[] expected = new float[data.size()];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = (float) data.get(i).asDouble();
                }
                String target = ReferenceWeights.frameworkName(name, Path.of("state.json"));
                assertArrayEquals(
                        expected,
                        byName.get(target).getArray().toFloatArray(),
                        name + " -> " + target);
                copied++;
            }
            assertEquals(byName.size(), copied, "one reference entry per framework parameter");
        }
        // the message-passing weights keep their roles: W_B acts on the sender, W_A on the receiver
        assertEquals(
                "alignn_1_bonds_message_update_weight",
                ReferenceWeights.frameworkName(
                        "alignn_layers.1.edge_update.dst_update.weight", dir));
        assertEquals(
                "gcn_0_self_update_bias",
                ReferenceWeights.frameworkName("gcn_layers.0.src_update.bias", dir));
        assertEquals(
                "bond_projection_norm_runningVar",
                ReferenceWeights.frameworkName("edge_embedding.1.1.running_var", dir));
        assertEquals(
                "alignn_0_atoms_src_gate_weight",
                ReferenceWeights.frameworkName("06alignn_0_atoms_01src_gate_weight"));
    }

    @Test
    void aMissingUnknownOrMisshapenEntryIsAnError() throws IOException {
        JsonNode shapes = shapes();
        try (NDManager m = NDManager.newBaseManager()) {
            Block block = smallAlignn(m);
            ObjectNode missing = state(shapes);
            missing.remove("fc.bias");
            Path f = write(missing);
            var e =
                    assertThrows(
                            IllegalArgumentException.class, () -> ReferenceWeights.copy(f, block));
            assertEquals(f + ": no reference value for the model's [output_bias]", e.getMessage());

            ObjectNode unknown = state(shapes);
            unknown.set("readout.weight", unknown.get("fc.weight"));
            Path g = write(unknown);
            e = assertThrows(IllegalArgumentException.class, () -> ReferenceWeights.copy(g, block));
            assertEquals(
                    g
                            + ": reference parameter readout.weight has no counterpart in the"
                            + " framework's ALIGNN",
                    e.getMessage());

            ObjectNode wide = state(shapes);
            ((ObjectNode) wide.get("fc.weight"))
                    .set("shape", new ObjectMapper().createArrayNode().add(4).add(64));
            Path h = write(wide);
            e = assertThrows(IllegalArgumentException.class, () -> ReferenceWeights.copy(h, block));
            assertTrue(
                    e.getMessage()
                            .startsWith(
                                    h
                                            + ": reference parameter fc.weight has shape (4, 64),"
                                            + " the model's output_weight (1, 64)"),
                    e.getMessage());
        }
    }
}
