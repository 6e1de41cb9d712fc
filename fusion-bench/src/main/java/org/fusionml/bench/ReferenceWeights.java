package org.fusionml.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Copies the parameters of the plain PyTorch ALIGNN ({@link PyTorchReference}) into the framework's
 * {@link org.fusionml.models.alignn.AlignnBlock}, so that both implementations can start training
 * from the same weights ({@code fusion bench learn --same-start}).
 *
 * <p>The reference's state is a JSON object written by {@code bench/alignn_reference_learn.py
 * --state-out}: {@code {"name": {"shape": [...], "data": [...]}, ...}} with PyTorch's names. The
 * names correspond one to one:
 *
 * <pre>
 *   atom_embedding.{0 linear, 1 norm}            atom_embedding_{linear, norm}
 *   edge_embedding.{0, 1}.{0 linear, 1 norm}     bond_{embedding, projection}_{linear, norm}
 *   angle_embedding.{0, 1}.{0 linear, 1 norm}    angle_{embedding, projection}_{linear, norm}
 *   alignn_layers.K.{node_update, edge_update}.  alignn_K_{atoms, bonds}_
 *   gcn_layers.K.                                gcn_K_
 *     src_gate, dst_gate, edge_gate                src_gate, dst_gate, edge_gate
 *     dst_update (W_B, on the sender)              message_update
 *     src_update (W_A, on the receiver)            self_update
 *     bn_nodes, bn_edges                           node_norm, edge_norm
 *   fc                                           output
 *   BatchNorm weight, bias, running_mean/var     gamma, beta, runningMean/Var
 * </pre>
 *
 * (framework names without DJL's two-digit child-order prefixes). The reference's buffers that are
 * not parameters (the atom feature table, the radial basis centres, BatchNorm's batch counter) are
 * skipped. Every framework parameter must get a value of its shape: anything unmatched is an error.
 */
public final class ReferenceWeights {
    private ReferenceWeights() {}

    /**
     * Writes the reference state in {@code file} into {@code block}'s (initialised) parameters, in
     * place.
     */
    public static void copy(Path file, Block block) {
        JsonNode state = readState(file);
        Map<String, Parameter> framework = new HashMap<>();
        for (var p : block.getParameters()) {
            framework.put(frameworkName(p.getKey()), p.getValue());
        }
        Set<String> unset = new TreeSet<>(framework.keySet());
        for (Iterator<String> it = state.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (skipped(name)) {
                continue;
            }
            String target = frameworkName(name, file);
            Parameter p = framework.get(target);
            if (p == null) {
                throw new IllegalArgumentException(
                        file
                                + ": reference parameter "
                                + name
                                + " maps to "
                                + target
                                + ", which the model does not have");
            }
            setValues(p.getArray(), state.get(name), name, target, file);
            unset.remove(target);
        }
        if (!unset.isEmpty()) {
            throw new IllegalArgumentException(
                    file + ": no reference value for the model's " + unset);
        }
    }

    /** The reference's state in {@code file}; an error naming the file when it cannot be read. */
    private static JsonNode readState(Path file) {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    file + ": cannot read the reference's state: " + e.getMessage(), e);
        }
    }

    /**
     * Sets {@code array} (the model's {@code target}) to the values of the reference's entry {@code
     * name}, {@code {"shape": [...], "data": [...]}}; an error when the shapes differ.
     */
    private static void setValues(
            NDArray array, JsonNode entry, String name, String target, Path file) {
        Shape shape = new Shape(toLongs(entry.get("shape")));
        if (!shape.equals(array.getShape())) {
            throw new IllegalArgumentException(
                    file
                            + ": reference parameter "
                            + name
                            + " has shape "
                            + shape
                            + ", the model's "
                            + target
                            + " "
                            + array.getShape());
        }
        JsonNode data = entry.get("data");
        float[] values = new float[data.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) data.get(i).asDouble();
        }
        array.set(values);
    }

    /** The reference's entries that are not parameters of the model. */
    static boolean skipped(String name) {
        return name.equals("atom_table")
                || name.endsWith("_rbf.centers")
                || name.endsWith(".num_batches_tracked");
    }

    /**
     * A framework parameter key without DJL's child-order prefixes: {@code
     * 06alignn_0_atoms_01src_gate_weight} -> {@code alignn_0_atoms_src_gate_weight}.
     */
    static String frameworkName(String djlKey) {
        return djlKey.replaceAll("(^|_)\\d\\d(?=[a-z])", "$1");
    }

    /** The framework name of the reference's parameter {@code name} (see the class comment). */
    static String frameworkName(String name, Path file) {
        String[] p = name.split("\\.");
        int leaf =
                switch (p[0]) {
                    case "fc" -> 1;
                    case "atom_embedding" -> 2;
                    case "edge_embedding", "angle_embedding", "gcn_layers" -> 3;
                    case "alignn_layers" -> 4;
                    default -> throw unknown(name, file);
                };
        if (p.length != leaf + 1) {
            throw unknown(name, file);
        }
        String block =
                switch (p[0]) {
                    case "fc" -> "output";
                    case "atom_embedding" ->
                            "atom_embedding_" + pick(p[1], "linear", "norm", name, file);
                    case "edge_embedding", "angle_embedding" ->
                            (p[0].equals("edge_embedding") ? "bond" : "angle")
                                    + "_"
                                    + pick(p[1], "embedding", "projection", name, file)
                                    + "_"
                                    + pick(p[2], "linear", "norm", name, file);
                    case "gcn_layers" -> "gcn_" + p[1] + "_" + convChild(p[2], name, file);
                    default ->
                            "alignn_"
                                    + p[1]
                                    + "_"
                                    + switch (p[2]) {
                                        case "node_update" -> "atoms";
                                        case "edge_update" -> "bonds";
                                        default -> throw unknown(name, file);
                                    }
                                    + "_"
                                    + convChild(p[3], name, file);
                };
        boolean norm = block.endsWith("_norm");
        String param =
                switch (p[leaf]) {
                    case "weight" -> norm ? "gamma" : "weight";
                    case "bias" -> norm ? "beta" : "bias";
                    case "running_mean" -> "runningMean";
                    case "running_var" -> "runningVar";
                    default -> throw unknown(name, file);
                };
        return block + "_" + param;
    }

    private static String convChild(String child, String name, Path file) {
        return switch (child) {
            case "src_gate", "dst_gate", "edge_gate" -> child;
            case "dst_update" -> "message_update";
            case "src_update" -> "self_update";
            case "bn_nodes" -> "node_norm";
            case "bn_edges" -> "edge_norm";
            default -> throw unknown(name, file);
        };
    }

    private static String pick(String index, String zero, String one, String name, Path file) {
        return switch (index) {
            case "0" -> zero;
            case "1" -> one;
            default -> throw unknown(name, file);
        };
    }

    private static IllegalArgumentException unknown(String name, Path file) {
        return new IllegalArgumentException(
                file
                        + ": reference parameter "
                        + name
                        + " has no counterpart in the framework's ALIGNN");
    }

    private static long[] toLongs(JsonNode shape) {
        long[] out = new long[shape.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.get(i).asLong();
        }
        return out;
    }
}
