package org.fusionml.train.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;
import org.fusionml.data.symmetry.SpaceGroupFinder;
import org.fusionml.data.symmetry.SpaceGroupType;
import org.fusionml.data.symmetry.SymmetryDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusion symmetry}: space group and symmetry-equivalent sites of every structure. */
@Command(
        name = "symmetry",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion symmetry --input structures.json --output symmetry.json"
        },
        description = {
            "Space groups and symmetry-equivalent sites (as spglib).",
            "Writes, per structure, the space-group number and Hermann-Mauguin symbol, the number"
                    + " of",
            "operations and the classes of symmetry-equivalent sites (spglib's equivalent_atoms)."
        })
final class SymmetryCommand implements Callable<Integer> {
    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Structures (any supported format). Default: the embedded matbench_jdft2d.")
    Path input;

    @Option(
            names = "--symprec",
            defaultValue = SpaceGroupFinder.DEFAULT_SYMPREC_TEXT,
            description = "Cartesian tolerance, Angstrom (default: ${DEFAULT-VALUE}).")
    double symprec;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "OUT.json",
            description = "Output file (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        OptionChecks.check("symmetry", () -> SpaceGroupFinder.checkSymprec("--symprec", symprec));
        SpaceGroupFinder finder = new SpaceGroupFinder(symprec);
        List<StructureEntry> entries = Inputs.structures(input);
        AtomicFiles.write(
                output,
                out -> {
                    try (JsonGenerator g =
                            StructureReaders.JSON
                                    .getFactory()
                                    .createGenerator(out, JsonEncoding.UTF8)) {
                        g.writeStartObject();
                        g.writeNumberField("symprec", symprec);
                        g.writeArrayFieldStart("structures");
                        for (StructureEntry e : entries) {
                            SymmetryDataset d = finder.find(e.structure());
                            SpaceGroupType type = SpaceGroupType.identify(d);
                            g.writeStartObject();
                            g.writeStringField("name", e.id());
                            g.writeNumberField("number", type.number());
                            g.writeStringField("international", type.international());
                            g.writeNumberField("n_operations", d.numOperations());
                            g.writeArrayFieldStart("equivalence_classes");
                            for (int[] c : d.equivalenceClasses()) {
                                g.writeArray(c, 0, c.length);
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
}
