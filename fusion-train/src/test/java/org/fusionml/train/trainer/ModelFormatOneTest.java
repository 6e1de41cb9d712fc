package org.fusionml.train.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.alignn.AlignnConfig;
import org.junit.jupiter.api.Test;

/**
 * A model.json of format 1 (camelCase config, head and neighbours at the top) reads as format 2.
 */
class ModelFormatOneTest {
    @Test
    void formatOneBecomesTheSameArchitectureInFormatTwo() throws Exception {
        ObjectNode one =
                (ObjectNode)
                        new ObjectMapper()
                                .readTree(
                                        "{\"format_version\": 1, \"architecture\": \"alignn\","
                                                + " \"config\": {\"alignnLayers\": 2,"
                                                + " \"gcnLayers\": 2, \"hidden\": 64,"
                                                + " \"embedding\": 64, \"edgeBins\": 80,"
                                                + " \"angleBins\": 40, \"cutoff\": 8.0,"
                                                + " \"outputs\": 4}, \"head\": \"evidential\","
                                                + " \"max_neighbors\": 12, \"target_mean\": 1.5,"
                                                + " \"target_std\": 2.0}");
        ObjectNode two = GraphModel.formatOneToTwo(one);
        assertEquals(GraphModel.FORMAT_VERSION, two.get("format_version").asInt());
        assertEquals(1.5, two.get("target_mean").asDouble());
        ArchitectureConfig config =
                RunDirectory.YAML.treeToValue(two.get("model"), ArchitectureConfig.class);
        assertEquals(AlignnConfig.small().withHead("evidential"), config);
    }
}
