package org.fusionml.train.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.Ranges;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.io.StructureReaders;
import org.fusionml.data.symmetry.SpaceGroupFinder;
import org.fusionml.train.trainer.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion fingerprint}: F(x) of a whole dataset (cached) and every nearest neighbour. */
@Command(
        name = "fingerprint",
        mixinStandardHelpOptions = true,
        footer = {"", "Example:", "  fusion fingerprint --output fingerprints.json"},
        description = {
            "FUSION fingerprints F(x) of a dataset and every nearest neighbour.",
            "Computes the FUSION fingerprint F(x) (Eq. 4: multiplicity-weighted SOAP of the"
                    + " symmetry",
            "classes, L2-normalised) of every structure of a dataset, caches it, and writes each",
            "structure's nearest neighbour with the cosine distance 1 - F_i.F_j and the Euclidean"
                    + " one."
        })
final class FingerprintCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Labelled dataset (Matbench json(.gz)). Default: the embedded matbench_jdft2d.")
    Path input;

    @Mixin SoapOptions soap;

    @Option(
            names = "--symprec",
            defaultValue = SpaceGroupFinder.DEFAULT_SYMPREC_TEXT,
            description =
                    "Tolerance of the symmetry classes, Angstrom (default: ${DEFAULT-VALUE}).")
    double symprec;

    @Option(
            names = "--cache",
            defaultValue = ".cache/fingerprints",
            paramLabel = "DIR",
            description = "Fingerprint cache folder (default: ${DEFAULT-VALUE}).")
    Path cache;

    @Option(
            names = "--threads",
            defaultValue = "2",
            description = "Worker threads (default: ${DEFAULT-VALUE}).")
    int threads;

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
                "fingerprint",
                () -> {
                    SpaceGroupFinder.checkSymprec("--symprec", symprec);
                    Ranges.atLeast("--threads", threads, 1);
                });
        SoapConfig config = soap.config("fingerprint");
        CrystalDataset data =
                input == null ? DatasetLoader.embeddedDefault() : DatasetLoader.load(input, null);
        Progress progress = new Progress("fingerprints", data.size(), spec.commandLine().getErr());
        List<Fingerprint> fps =
                new FingerprintCache(cache)
                        .getOrCompute(data, config, symprec, threads, progress::update);
        NearestNeighbors.Result nn = NearestNeighbors.search(fps, threads);
        AtomicFiles.write(
                output,
                out -> {
                    try (JsonGenerator g =
                            StructureReaders.JSON
                                    .getFactory()
                                    .createGenerator(out, JsonEncoding.UTF8)) {
                        g.writeStartObject();
                        g.writeObjectFieldStart("params");
                        g.writeNumberField("r_cut", config.rCut());
                        g.writeNumberField("n_max", config.nMax());
                        g.writeNumberField("l_max", config.lMax());
                        g.writeNumberField("sigma", config.sigma());
                        g.writeBooleanField("periodic", config.periodic());
                        g.writeNumberField("symprec", symprec);
                        g.writeStringField("dataset_sha256", data.provenance().sha256());
                        g.writeEndObject();
                        g.writeArrayFieldStart("structures");
                        for (int i = 0; i < data.size(); i++) {
                            g.writeStartObject();
                            g.writeStringField("name", data.get(i).id());
                            int j = nn.neighbor()[i];
                            if (j >= 0) {
                                g.writeStringField("nearest", data.get(j).id());
                                g.writeNumberField("cosine_distance", nn.cosineDistance()[i]);
                                g.writeNumberField("euclidean_distance", nn.euclideanDistance()[i]);
                            }
                            g.writeNumberField("stored_values", fps.get(i).storedValues());
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                });
        return 0;
    }
}
