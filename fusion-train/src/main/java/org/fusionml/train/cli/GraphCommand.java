package org.fusionml.train.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.Ranges;
import org.fusionml.data.graph.KnnGraphBuilder;
import org.fusionml.data.graph.KnnGraphConfig;
import org.fusionml.data.graph.NeighborList;
import org.fusionml.data.graph.NeighborSearch;
import org.fusionml.data.graph.NeighborShells;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusion graph}: per-atom k-NN and ALIGNN shell distances of every structure of a file. */
@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion graph --input POSCAR --output graph.json"},
        description = {
            "Per-atom k-NN and ALIGNN shell neighbour distances.",
            "Writes, per structure and atom, the k smallest neighbour distances within the cutoff",
            "(knn_distances) and the ALIGNN shell (shell_distances: the k nearest plus ties within",
            "1e-6 A, the cutoff grown until every atom has k neighbours), in Angstrom, ascending."
        })
final class GraphCommand implements Callable<Integer> {
    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Matbench json(.gz), pymatgen JSON (dict, name->dict map or list), CIF or"
                            + " POSCAR. Default: the embedded matbench_jdft2d.")
    Path input;

    @Option(
            names = "--cutoff",
            defaultValue = "8",
            description = "Neighbour cutoff, Angstrom (default: ${DEFAULT-VALUE}).")
    double cutoff;

    @Option(
            names = "--max-neighbors",
            defaultValue = "12",
            description = "k nearest neighbours (default: ${DEFAULT-VALUE}).")
    int maxNeighbors;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "OUT.json",
            description = "Output file (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        OptionChecks.check(
                "graph",
                () -> {
                    Ranges.positive("--cutoff", cutoff, "Angstrom");
                    Ranges.atLeast("--max-neighbors", maxNeighbors, 1);
                });
        KnnGraphConfig config = new KnnGraphConfig(cutoff, maxNeighbors, 1e-6);
        KnnGraphBuilder builder = new KnnGraphBuilder(config);
        List<StructureEntry> entries = Inputs.structures(input);
        AtomicFiles.write(
                output,
                out -> {
                    try (JsonGenerator g =
                            StructureReaders.JSON
                                    .getFactory()
                                    .createGenerator(out, JsonEncoding.UTF8)) {
                        g.writeStartObject();
                        g.writeArrayFieldStart("structures");
                        for (StructureEntry e : entries) {
                            NeighborList nl;
                            NeighborShells shells;
                            try {
                                nl = NeighborSearch.find(e.structure(), cutoff);
                                shells = builder.shells(e.structure());
                            } catch (IllegalArgumentException ex) {
                                throw new InvalidInputException(
                                        input == null ? "matbench_jdft2d" : input.toString(),
                                        e.id(),
                                        ex.getMessage(),
                                        ex);
                            }
                            g.writeStartObject();
                            g.writeStringField("name", e.id());
                            g.writeNumberField("cutoff_used", shells.cutoffUsed());
                            g.writeArrayFieldStart("atoms");
                            for (int i = 0; i < e.structure().size(); i++) {
                                double[] all = nl.sortedDistances(i);
                                g.writeStartObject();
                                g.writeFieldName("knn_distances");
                                write(g, Arrays.copyOf(all, Math.min(maxNeighbors, all.length)));
                                g.writeFieldName("shell_distances");
                                write(g, shells.distances(i));
                                g.writeEndObject();
                            }
                            g.writeEndArray();
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                });
        return 0;
    }

    private static void write(JsonGenerator g, double[] values) throws IOException {
        g.writeArray(values, 0, values.length);
    }
}
