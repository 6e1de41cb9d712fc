package org.fusionml.data.symmetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fusionml.data.SharedData;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Operations and symmetry-equivalent sites of all 636 jdft2d structures against spglib 2.0.2. */
class SpaceGroupReferenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"0.01", "0.1"})
    void typesEquivalenceClassesAndOperationCountsMatchSpglib(String symprec) {
        JsonNode ref =
                SharedData.json(SharedData.require("refs/jdft2d_symmetry.json.gz"))
                        .get("structures");
        CrystalDataset data = DatasetLoader.embeddedDefault();
        SpaceGroupFinder finder = new SpaceGroupFinder(Double.parseDouble(symprec));
        List<String> classMismatch = new ArrayList<>();
        List<String> opsMismatch = new ArrayList<>();
        List<String> numberMismatch = new ArrayList<>();
        for (int s = 0; s < ref.size(); s++) {
            JsonNode r = ref.get(s).get("by_symprec").get(symprec).get("spglib");
            SymmetryDataset d = finder.find(data.get(s).structure());
            String expected = r.get("equivalence_classes").toString().replace(" ", "");
            String actual = toJson(d.equivalenceClasses());
            if (!expected.equals(actual)) {
                classMismatch.add(
                        ref.get(s).get("name").asText() + " " + expected + " vs " + actual);
            }
            SpaceGroupType type = SpaceGroupType.identify(d);
            if (type.number() != r.get("number").asInt()
                    || !type.international().equals(r.get("international").asText())) {
                numberMismatch.add(
                        ref.get(s).get("name").asText()
                                + " "
                                + r.get("number")
                                + " "
                                + r.get("international")
                                + " vs "
                                + type);
            }
            if (r.get("n_operations").asInt() != d.numOperations()) {
                opsMismatch.add(
                        ref.get(s).get("name").asText()
                                + " "
                                + r.get("number")
                                + " "
                                + r.get("n_operations")
                                + " vs "
                                + d.numOperations());
            }
        }
        System.out.println(
                "symprec "
                        + symprec
                        + ": classes "
                        + (636 - classMismatch.size())
                        + "/636, operations "
                        + (636 - opsMismatch.size())
                        + "/636, space-group types "
                        + (636 - numberMismatch.size())
                        + "/636");
        assertEquals(List.of(), numberMismatch);
        assertEquals(List.of(), classMismatch);
        assertEquals(List.of(), opsMismatch);
    }

    private static String toJson(List<int[]> classes) {
        StringBuilder sb = new StringBuilder("[");
        for (int[] c : classes) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Arrays.toString(c).replace(" ", ""));
        }
        return sb.append(']').toString();
    }
}
