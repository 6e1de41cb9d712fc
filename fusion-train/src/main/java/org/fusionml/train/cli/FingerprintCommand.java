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
import org.fusionml.data.descriptor.FingerprintBuilder;
import org.fusionml.data.descriptor.FingerprintCache;
import org.fusionml.data.descriptor.FingerprintStore;
import org.fusionml.data.descriptor.NearestNeighbors;
import org.fusionml.data.descriptor.SoapConfig;
import org.fusionml.data.descriptor.StoreNearestNeighbors;
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
            paramLabel = "OUT.json",
            description =
                    "Nearest neighbours, one entry per structure (written atomically); required"
                            + " unless --store is given.")
    Path output;

    @Option(
            names = "--store",
            paramLabel = "FILE.fps",
            description = {
                "Write the fingerprints to this on-disk store (streamed, read back memory-mapped;"
                        + " format in docs/fusion.md) instead of the cache; with --output the"
                        + " nearest neighbours are searched from it.",
                "With --slice: the slice's file; with --merge: the merged file."
            })
    Path store;

    @Option(
            names = "--precision",
            defaultValue = "float32",
            paramLabel = "float32|float64",
            description = "Values of the store (default: ${DEFAULT-VALUE}).")
    String precision;

    @Option(
            names = "--slice",
            paramLabel = "K/N",
            description =
                    "Fingerprint only slice K of N (0 <= K < N, rows [K n/N, (K+1) n/N)) into"
                            + " --store: one SLURM array task each, then --merge.")
    String slice;

    @Option(
            names = "--merge",
            arity = "1..*",
            paramLabel = "SLICE.fps",
            description =
                    "Merge the slice files of one dataset into --store (byte for byte the file"
                            + " one process writes); no fingerprints are computed.")
    List<Path> merge;

    @Override
    public Integer call() throws Exception {
        if (output == null && store == null) {
            throw new UserException("fusion fingerprint: give --output, --store or both");
        }
        if ((slice != null || merge != null) && (store == null || output != null)) {
            throw new UserException(
                    "fusion fingerprint: --slice and --merge write --store only (no --output)");
        }
        if (slice != null && merge != null) {
            throw new UserException("fusion fingerprint: --slice and --merge exclude each other");
        }
        if (output != null) {
            AtomicFiles.checkTarget(output); // before the work, not after it
        }
        if (store != null) {
            AtomicFiles.checkTarget(store);
        }
        if (merge != null) {
            FingerprintStore.merge(merge, store);
            spec.commandLine().getErr().println("merged " + merge.size() + " slices into " + store);
            return 0;
        }
        OptionChecks.check(
                "fingerprint",
                () -> {
                    SpaceGroupFinder.checkSymprec("--symprec", symprec);
                    Ranges.atLeast("--threads", threads, 1);
                });
        FingerprintStore.Precision valueType =
                switch (precision) {
                    case "float32" -> FingerprintStore.Precision.FLOAT32;
                    case "float64" -> FingerprintStore.Precision.FLOAT64;
                    default ->
                            throw new UserException(
                                    "fusion fingerprint: --precision '"
                                            + precision
                                            + "' is not known; valid: float32, float64");
                };
        int[] part = slice == null ? null : parseSlice(slice);
        SoapConfig config = soap.config("fingerprint");
        CrystalDataset data =
                input == null ? DatasetLoader.embeddedDefault() : DatasetLoader.load(input, null);
        if (store != null) {
            long[] rows =
                    part == null
                            ? new long[] {0, data.size()}
                            : FingerprintStore.sliceRange(data.size(), part[0], part[1]);
            Progress progress =
                    new Progress(
                            "fingerprints", (int) (rows[1] - rows[0]), spec.commandLine().getErr());
            FingerprintBuilder builder = new FingerprintBuilder(config, symprec);
            FingerprintStore.write(
                    store,
                    storeKey(data, config, symprec),
                    config,
                    valueType,
                    rows[0],
                    rows[1] - rows[0],
                    data.size(),
                    i -> FingerprintCache.build(builder, data, i),
                    threads,
                    done -> progress.update((int) done));
            if (output == null) {
                return 0;
            }
            try (FingerprintStore s = FingerprintStore.open(store)) {
                writeNeighbours(
                        data, config, StoreNearestNeighbors.search(s, threads).result(), i -> -1);
            }
            return 0;
        }
        Progress progress = new Progress("fingerprints", data.size(), spec.commandLine().getErr());
        List<Fingerprint> fps =
                new FingerprintCache(cache)
                        .getOrCompute(data, config, symprec, threads, progress::update);
        writeNeighbours(
                data,
                config,
                NearestNeighbors.search(fps, threads),
                i -> fps.get(i).storedValues());
        return 0;
    }

    /** The key of a dataset's store: settings, dataset hash and ids. */
    static String storeKey(CrystalDataset data, SoapConfig config, double symprec) {
        return FingerprintStore.settingsKey(config, symprec)
                + " "
                + FingerprintCache.key(data, config, symprec);
    }

    private static int[] parseSlice(String text) {
        String[] kn = text.split("/", -1);
        try {
            if (kn.length == 2) {
                int k = Integer.parseInt(kn[0].trim());
                int n = Integer.parseInt(kn[1].trim());
                if (n >= 1 && k >= 0 && k < n) {
                    return new int[] {k, n};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserException(
                "fusion fingerprint: --slice '" + text + "' must be K/N with 0 <= K < N");
    }

    private void writeNeighbours(
            CrystalDataset data,
            SoapConfig config,
            NearestNeighbors.Result nn,
            java.util.function.IntUnaryOperator storedValues)
            throws java.io.IOException {
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
                            int stored = storedValues.applyAsInt(i);
                            if (stored >= 0) {
                                g.writeNumberField("stored_values", stored);
                            }
                            g.writeEndObject();
                        }
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                });
    }
}
