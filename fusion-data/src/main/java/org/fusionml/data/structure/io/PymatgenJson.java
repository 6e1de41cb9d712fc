package org.fusionml.data.structure.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.Lattice;
import org.fusionml.data.structure.Site;
import org.fusionml.data.structure.Structure;

/**
 * pymatgen {@code Structure.as_dict()} JSON.
 *
 * <p>Reading takes {@code lattice.matrix} (rows, Angstrom) and, per site, {@code species}, {@code
 * abc} (fractional; {@code xyz} in Angstrom when {@code abc} is absent) and {@code label}. Only
 * ordered structures are accepted: a site must hold one species with occupancy 1 (within {@link
 * #OCCUPANCY_TOLERANCE}); anything else is reported as partial occupancy.
 */
public final class PymatgenJson {
    /** Largest accepted |occupancy - 1|. */
    public static final double OCCUPANCY_TOLERANCE = 1e-4;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private PymatgenJson() {}

    /** True if {@code node} looks like a structure dict (an object with lattice or sites). */
    public static boolean looksLikeStructure(JsonNode node) {
        return node != null && node.isObject() && (node.has("sites") || node.has("lattice"));
    }

    /**
     * Parses a structure dict and validates it.
     *
     * @throws IllegalArgumentException with a one-line description of what is wrong
     */
    public static Structure read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "JSON value is not a structure (expected an object)");
        }
        JsonNode sitesNode = node.get("sites");
        if (sitesNode == null) {
            throw new IllegalArgumentException("JSON object is not a structure: no 'sites'");
        }
        JsonNode latticeNode = node.get("lattice");
        if (latticeNode == null || latticeNode.isNull()) {
            throw new IllegalArgumentException("structure has no lattice");
        }
        JsonNode matrix = latticeNode.isObject() ? latticeNode.get("matrix") : latticeNode;
        Lattice lattice = Lattice.of(matrix3(matrix));
        if (!sitesNode.isArray() || sitesNode.isEmpty()) {
            throw new IllegalArgumentException("structure has no sites");
        }
        List<Site> sites = new ArrayList<>(sitesNode.size());
        for (int i = 0; i < sitesNode.size(); i++) {
            sites.add(site(sitesNode.get(i), i, lattice));
        }
        return StructureValidator.check(new Structure(lattice, sites));
    }

    private static Site site(JsonNode s, int index, Lattice lattice) {
        JsonNode species = s.get("species");
        if (species == null || !species.isArray() || species.isEmpty()) {
            throw new IllegalArgumentException("site " + index + " has no species");
        }
        String label = s.hasNonNull("label") ? s.get("label").asText() : null;
        if (species.size() > 1) {
            throw partialOccupancy(index, species);
        }
        JsonNode sp = species.get(0);
        String symbol = sp.path("element").asText("");
        if (!Element.isKnown(symbol)) {
            throw new IllegalArgumentException("unknown element '" + symbol + "' on site " + index);
        }
        double occu = sp.has("occu") ? number(sp.get("occu"), "occupancy of site " + index) : 1.0;
        if (Math.abs(occu - 1.0) > OCCUPANCY_TOLERANCE) {
            throw partialOccupancy(index, species);
        }
        double[] frac;
        if (s.has("abc")) {
            frac = vector3(s.get("abc"), "abc of site " + index);
        } else if (s.has("xyz")) {
            frac = lattice.toFractional(vector3(s.get("xyz"), "xyz of site " + index));
        } else {
            throw new IllegalArgumentException(
                    "site " + index + " has no coordinates (abc or xyz)");
        }
        return new Site(Element.of(symbol), frac, label);
    }

    private static IllegalArgumentException partialOccupancy(int index, JsonNode species) {
        return new IllegalArgumentException(
                "partial occupancy on site "
                        + index
                        + " ("
                        + describe(species)
                        + "): disordered structures are not supported");
    }

    private static String describe(JsonNode species) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode sp : species) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(sp.path("element").asText("?"))
                    .append(':')
                    .append(sp.path("occu").asText("?"));
        }
        return sb.toString();
    }

    private static double[][] matrix3(JsonNode m) {
        if (m == null || !m.isArray() || m.size() != 3) {
            throw new IllegalArgumentException("lattice matrix is not 3x3");
        }
        double[][] out = new double[3][];
        for (int i = 0; i < 3; i++) {
            out[i] = vector3(m.get(i), "lattice row " + i);
        }
        return out;
    }

    private static double[] vector3(JsonNode v, String what) {
        if (v == null || !v.isArray() || v.size() != 3) {
            throw new IllegalArgumentException(what + " must be 3 numbers");
        }
        return new double[] {
            number(v.get(0), what), number(v.get(1), what), number(v.get(2), what)
        };
    }

    private static double number(JsonNode v, String what) {
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(what + " is not a number: " + v);
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(what + " is not finite (" + d + ")");
        }
        return d;
    }

    /** Writes {@code s} as a pymatgen {@code Structure.as_dict()} object. */
    public static ObjectNode write(Structure s) {
        ObjectNode root = NODES.objectNode();
        root.put("@module", "pymatgen.core.structure");
        root.put("@class", "Structure");
        root.put("charge", 0);
        Lattice l = s.lattice();
        ObjectNode lat = root.putObject("lattice");
        ArrayNode matrix = lat.putArray("matrix");
        for (int i = 0; i < 3; i++) {
            ArrayNode row = matrix.addArray();
            for (int k = 0; k < 3; k++) {
                row.add(l.get(i, k));
            }
        }
        lat.putArray("pbc").add(true).add(true).add(true);
        double[] len = l.lengths();
        double[] ang = l.angles();
        lat.put("a", len[0]).put("b", len[1]).put("c", len[2]);
        lat.put("alpha", ang[0]).put("beta", ang[1]).put("gamma", ang[2]);
        lat.put("volume", l.volume());
        ArrayNode sites = root.putArray("sites");
        for (int i = 0; i < s.size(); i++) {
            Site site = s.site(i);
            ObjectNode o = sites.addObject();
            o.putArray("species")
                    .addObject()
                    .put("element", site.element().symbol())
                    .put("occu", 1);
            ArrayNode abc = o.putArray("abc");
            ArrayNode xyz = o.putArray("xyz");
            double[] r = s.cartesian(i);
            for (int k = 0; k < 3; k++) {
                abc.add(site.frac(k));
                xyz.add(r[k]);
            }
            o.put("label", site.label());
            o.putObject("properties");
        }
        return root;
    }

    /** Serialises {@code s} to a JSON string. */
    public static String toJsonString(Structure s, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(write(s));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
