package org.fusionml.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.fusionml.data.descriptor.AtomFeatures;
import org.fusionml.data.structure.Element;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.Architectures;
import org.fusionml.models.batch.GraphSample;

/**
 * The plain PyTorch CGCNN and SchNet of the repository's {@code bench/graph_models_pytorch_ref.py}
 * (which also runs the shared folder's plain PyTorch ALIGNN, {@code alignn_pytorch_ref.py}, on the
 * framework's graphs) and the folder through which they get those graphs: the atom feature table,
 * every structure's atoms and bonds (and for ALIGNN bond vectors and bond pairs), the standardised
 * targets and the batches to time, as {@code .npy} files, and {@code meta.json} with the model
 * section, the thread count and the optimiser's settings (the script's documentation lists the
 * files).
 */
final class GraphModelReference {
    private GraphModelReference() {}

    /** The architectures the script has (ALIGNN through the shared folder's reference). */
    static final Set<String> TYPES = Set.of("cgcnn", "schnet", "alignn");

    /** The radial basis of bond lengths of the ALIGNN reference ends here, Angstrom. */
    static final double ALIGNN_REFERENCE_CUTOFF = 8.0;

    /** The reference script in the repository, relative to its root. */
    static final String SCRIPT = "bench/graph_models_pytorch_ref.py";

    /** AdamW's learning rate and weight decay on both sides (those of the ALIGNN benchmark). */
    static final double LEARNING_RATE = 1e-3;

    static final double WEIGHT_DECAY = 1e-5;

    /**
     * Writes the graphs of {@code samples}, their standardised targets {@code yz} and the {@code
     * batches} (the first {@code warmup} of them untimed) into {@code dir}, for {@code config}'s
     * architecture run on {@code threads} threads.
     */
    static void writeData(
            Path dir,
            ArchitectureConfig config,
            List<GraphSample> samples,
            float[] yz,
            int[][] batches,
            int warmup,
            int threads)
            throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = Architectures.register(new ObjectMapper());
        ObjectNode meta = json.createObjectNode();
        meta.put("type", config.name());
        meta.set("model", json.valueToTree(config));
        meta.put("outputs", config.outputs());
        meta.put("threads", threads);
        meta.put("warmup_batches", warmup);
        meta.put("learning_rate", LEARNING_RATE);
        meta.put("weight_decay", WEIGHT_DECAY);
        Files.writeString(dir.resolve("meta.json"), json.writeValueAsString(meta));

        float[] table = new float[(Element.MAX_Z + 1) * AtomFeatures.SIZE];
        for (int z = 1; z <= Element.MAX_Z; z++) {
            System.arraycopy(
                    AtomFeatures.of(z), 0, table, z * AtomFeatures.SIZE, AtomFeatures.SIZE);
        }
        Npy.write(dir.resolve("atom_table.npy"), table, Element.MAX_Z + 1, AtomFeatures.SIZE);

        int atoms = samples.stream().mapToInt(GraphSample::numAtoms).sum();
        int edges = samples.stream().mapToInt(GraphSample::numEdges).sum();
        long[] z = new long[atoms];
        long[] atomCounts = new long[samples.size()];
        long[] edgeCounts = new long[samples.size()];
        long[] src = new long[edges];
        long[] dst = new long[edges];
        float[] lengths = new float[edges];
        int a = 0;
        int e = 0;
        for (int s = 0; s < samples.size(); s++) {
            GraphSample g = samples.get(s);
            atomCounts[s] = g.numAtoms();
            edgeCounts[s] = g.numEdges();
            for (int i = 0; i < g.numAtoms(); i++) {
                z[a++] = g.atomicNumbers()[i];
            }
            for (int q = 0; q < g.numEdges(); q++, e++) {
                src[e] = g.src()[q];
                dst[e] = g.dst()[q];
                lengths[e] = g.bondLengths()[q];
            }
        }
        Npy.write(dir.resolve("z.npy"), z, atoms);
        Npy.write(dir.resolve("atoms.npy"), atomCounts, samples.size());
        Npy.write(dir.resolve("edges.npy"), edgeCounts, samples.size());
        Npy.write(dir.resolve("src.npy"), src, edges);
        Npy.write(dir.resolve("dst.npy"), dst, edges);
        Npy.write(dir.resolve("lengths.npy"), lengths, edges);
        Npy.write(dir.resolve("targets.npy"), yz, yz.length);
        if (config.lineGraph()) {
            writeLineGraphs(dir, samples, edges);
        }

        int width = batches[0].length;
        long[] flat = new long[batches.length * width];
        for (int b = 0; b < batches.length; b++) {
            if (batches[b].length != width) {
                throw new IllegalArgumentException(
                        "batch " + b + " has " + batches[b].length + " structures, not " + width);
            }
            for (int k = 0; k < width; k++) {
                flat[b * width + k] = batches[b][k];
            }
        }
        Npy.write(dir.resolve("batches.npy"), flat, batches.length, width);
    }

    /** The bond vectors and bond pairs that the ALIGNN reference reads. */
    private static void writeLineGraphs(Path dir, List<GraphSample> samples, int edges)
            throws IOException {
        int triplets = samples.stream().mapToInt(GraphSample::numTriplets).sum();
        float[] vectors = new float[3 * edges];
        long[] counts = new long[samples.size()];
        long[] in = new long[triplets];
        long[] out = new long[triplets];
        float[] cosines = new float[triplets];
        int e = 0;
        int t = 0;
        for (int s = 0; s < samples.size(); s++) {
            GraphSample g = samples.get(s);
            System.arraycopy(g.bondVectors(), 0, vectors, 3 * e, 3 * g.numEdges());
            e += g.numEdges();
            counts[s] = g.numTriplets();
            for (int q = 0; q < g.numTriplets(); q++, t++) {
                in[t] = g.tripletIn()[q];
                out[t] = g.tripletOut()[q];
                cosines[t] = g.angleCosines()[q];
            }
        }
        Npy.write(dir.resolve("bond_vectors.npy"), vectors, edges, 3);
        Npy.write(dir.resolve("triplets.npy"), counts, samples.size());
        Npy.write(dir.resolve("triplet_in.npy"), in, triplets);
        Npy.write(dir.resolve("triplet_out.npy"), out, triplets);
        Npy.write(dir.resolve("angle_cosines.npy"), cosines, triplets);
    }

    /**
     * Writes every parameter of {@code block} (initialised) to {@code file} as {@code {"name":
     * {"shape": [...], "data": [...]}}}, named without DJL's child-order prefixes ({@link
     * ReferenceWeights#frameworkName(String)}), BatchNorm's running statistics included.
     */
    static void writeState(Path file, Block block) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode state = json.createObjectNode();
        for (var p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            ObjectNode entry = state.putObject(ReferenceWeights.frameworkName(p.getKey()));
            entry.set("shape", json.valueToTree(array.getShape().getShape()));
            entry.set("data", json.valueToTree(array.toFloatArray()));
        }
        Files.writeString(file, json.writeValueAsString(state));
    }
}
