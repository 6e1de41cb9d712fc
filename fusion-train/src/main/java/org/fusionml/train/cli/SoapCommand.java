package org.fusionml.train.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.descriptor.Soap;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.Element;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.data.structure.io.StructureReaders;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fusion soap}: SOAP power spectra in DScribe's layout. */
@Command(
        name = "soap",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion soap --input POSCAR --average inner --output soap.json"
        },
        description = {
            "SOAP power spectra (as DScribe 2.1, rbf=gto).",
            "Writes SOAP power spectra of every structure: per site (off), from",
            "site-averaged coefficients (inner) and site-averaged spectra (outer), in DScribe's"
                    + " layout."
        })
final class SoapCommand implements Callable<Integer> {
    enum Average {
        off,
        inner,
        outer
    }

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Structures (any supported format). Default: the embedded matbench_jdft2d.")
    Path input;

    @Mixin SoapOptions soap;

    @Option(
            names = "--species",
            split = ",",
            paramLabel = "EL",
            description =
                    "Species (symbols or Z), shared by all structures. Default: each structure's"
                            + " own elements.")
    List<String> species;

    @Option(
            names = "--average",
            split = ",",
            arity = "1..*",
            defaultValue = "off,inner,outer",
            description = "Which of off, inner, outer to write (default: ${DEFAULT-VALUE}).")
    EnumSet<Average> averages;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "OUT.json",
            description = "Output file (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        Soap calculator = new Soap(soap.config("soap"));
        int[] shared = species == null ? null : parseSpecies(species);
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
                            int[] sp = shared != null ? shared : Soap.speciesOf(e.structure());
                            g.writeStartObject();
                            g.writeStringField("name", e.id());
                            g.writeArrayFieldStart("species");
                            for (int z : sp) {
                                g.writeString(Element.ofZ(z).symbol());
                            }
                            g.writeEndArray();
                            g.writeNumberField("n_features", calculator.numFeatures(sp));
                            g.writeObjectFieldStart("soap");
                            try {
                                if (averages.contains(Average.off)) {
                                    g.writeArrayFieldStart("off");
                                    for (double[] row : calculator.perSite(e.structure(), sp)) {
                                        g.writeArray(row, 0, row.length);
                                    }
                                    g.writeEndArray();
                                }
                                if (averages.contains(Average.inner)) {
                                    double[] v = calculator.inner(e.structure(), sp);
                                    g.writeFieldName("inner");
                                    g.writeArray(v, 0, v.length);
                                }
                                if (averages.contains(Average.outer)) {
                                    double[] v = calculator.outer(e.structure(), sp);
                                    g.writeFieldName("outer");
                                    g.writeArray(v, 0, v.length);
                                }
                            } catch (IllegalArgumentException ex) {
                                throw new InvalidInputException(
                                        input == null ? "matbench_jdft2d" : input.toString(),
                                        e.id(),
                                        ex.getMessage(),
                                        ex);
                            }
                            g.writeEndObject();
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                });
        return 0;
    }

    private static int[] parseSpecies(List<String> names) {
        TreeSet<Integer> z = new TreeSet<>();
        for (String n : names) {
            String s = n.trim();
            try {
                z.add(
                        s.chars().allMatch(Character::isDigit)
                                ? Element.ofZ(Integer.parseInt(s)).z()
                                : Element.of(s).z());
            } catch (IllegalArgumentException e) {
                throw new UserException("fusion soap: --species: " + e.getMessage());
            }
        }
        return new ArrayList<>(z).stream().mapToInt(Integer::intValue).toArray();
    }
}
