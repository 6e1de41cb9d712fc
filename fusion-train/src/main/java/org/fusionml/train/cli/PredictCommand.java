package org.fusionml.train.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.Ranges;
import org.fusionml.data.descriptor.Fingerprint;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.CsvTable;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.predict.InputStructure;
import org.fusionml.train.predict.ModelLocator;
import org.fusionml.train.predict.PredictionTable;
import org.fusionml.train.predict.StructureInputs;
import org.fusionml.train.predict.TrainingData;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.ModelProvenance;
import org.fusionml.train.trainer.Predictions;
import org.fusionml.train.trainer.TrainingDomain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fusion predict}: predictions of a saved model for new structures. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        footer = {
            "",
            "Example:",
            "  fusion predict --model runs/alignn --input my_structures/ --output predictions.csv"
        },
        description = {
            "Predicts with a saved model, found by folder or by name (FUSION_MODELS, the"
                    + " project's models/).",
            "Writes source,id[,target_U],prediction_U and, for evidential models,"
                    + " sigma_aleatoric_U,sigma_epistemic_U,",
            "sigma_total_U,interval95_low_U,interval95_high_U (U: the target's unit, e.g."
                    + " meV_per_atom; the 95 %% interval",
            "of the Student-t predictive), then nearest_training_id,domain_distance,out_of_domain"
                    + " when the model",
            "records its training domain. Prints MAE and RMSE when inputs carry targets."
        })
final class PredictCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "NAME|RUN_DIR",
            description =
                    "A run directory with model.json and model.params, or the name of a model"
                            + " folder under FUSION_MODELS or the project's models/.")
    String model;

    @Option(
            names = "--input",
            arity = "1..*",
            paramLabel = "PATH",
            description =
                    "Structure files (any supported format, Matbench json(.gz) with targets) or"
                            + " folders of them (repeatable). Default: the embedded"
                            + " matbench_jdft2d.")
    List<Path> inputs = new ArrayList<>();

    @Option(
            names = "--batch-size",
            defaultValue = "64",
            description = "Structures per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--training-data",
            paramLabel = "FILE",
            description =
                    "A copy of the model's training data (SHA-256 checked), read instead of the"
                            + " source its provenance records, for the out-of-domain flag.")
    Path trainingData;

    @Option(
            names = "--no-domain",
            description = "Predict without the out-of-domain columns (no training data needed).")
    boolean noDomain;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "PRED.csv|-",
            description =
                    "Output file (written atomically); - writes the table to standard output (the"
                            + " summary then goes to standard error).")
    String output;

    @Override
    public Integer call() throws Exception {
        OptionChecks.check("predict", () -> Ranges.atLeast("--batch-size", batchSize, 1));
        if (output != null && !output.equals("-")) {
            AtomicFiles.checkTarget(Path.of(output)); // before the work, not after it
        }
        PrintWriter err = spec.commandLine().getErr();
        ModelLocator.Found found = ModelLocator.fromEnvironment().locate(model);
        List<InputStructure> inputs = StructureInputs.read(this.inputs, StructureInputs.DEFAULT);
        try (GraphModel m = GraphModel.load(found.dir())) {
            if (found.byName() || Files.exists(found.dir().resolve("provenance.json"))) {
                ModelProvenance provenance = ModelProvenance.read(found.dir());
                provenance.check(found.dir(), m);
                err.println("model " + found.dir() + ": " + provenance.summary());
            }
            List<Structure> structures = inputs.stream().map(i -> i.entry().structure()).toList();
            Predictions p = m.predict(m.samples(structures), batchSize);
            PredictionTable.DomainCheck domain = noDomain ? null : domainCheck(m, structures, err);
            String unit = m.provenance() == null ? null : m.provenance().path("unit").asText(null);
            CsvTable table = PredictionTable.of(inputs, p, unit, domain);
            List<String> summary =
                    PredictionTable.summary(
                            inputs.size(),
                            PredictionTable.metrics(inputs, p),
                            unit == null ? "(unit unknown)" : unit,
                            domain);
            PrintWriter results = spec.commandLine().getOut();
            if (output.equals("-")) {
                results.print(table.text());
                results.flush();
                results = err;
            } else {
                table.write(Path.of(output));
            }
            summary.forEach(results::println);
        }
        return 0;
    }

    /** The inputs against the model's training domain; null (with a note) without a domain. */
    private PredictionTable.DomainCheck domainCheck(
            GraphModel m, List<Structure> structures, PrintWriter err) {
        TrainingDomain domain = m.domain();
        if (domain == null) {
            err.println("the model records no training domain: no out-of-domain columns");
            return null;
        }
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        TrainingDomain.Reference reference;
        try {
            reference = domain.reference(TrainingData.structures(m, trainingData), threads);
        } catch (IllegalStateException e) {
            throw new UserException("the model's training data: " + e.getMessage());
        }
        List<Fingerprint> f = TrainingDomain.fingerprints(domain.builder(), structures);
        return new PredictionTable.DomainCheck(domain, reference.nearest(f));
    }
}
