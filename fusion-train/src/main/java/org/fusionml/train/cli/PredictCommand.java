package org.fusionml.train.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.structure.io.StructureEntry;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fusion predict}: predictions of a saved model for new structures. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        description = {
            "Predicts with a saved model.",
            "Writes id,prediction and, for evidential models,"
                    + " gamma,nu,alpha,beta,aleatoric,epistemic",
            "(variances in the target unit squared)."
        })
final class PredictCommand implements Callable<Integer> {
    @Option(
            names = "--model",
            required = true,
            paramLabel = "RUN_DIR",
            description = "A run directory with model.json and model.params.")
    Path model;

    @Option(
            names = "--input",
            paramLabel = "FILE",
            description =
                    "Structures (any supported format). Default: the embedded matbench_jdft2d.")
    Path input;

    @Option(
            names = "--batch-size",
            defaultValue = "64",
            description = "Structures per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "PRED.csv",
            description = "Output file (written atomically).")
    Path output;

    @Override
    public Integer call() throws Exception {
        AtomicFiles.checkTarget(output); // before the work, not after it
        List<StructureEntry> entries = Inputs.structures(input);
        try (GraphModel m = GraphModel.load(model)) {
            Predictions p =
                    m.predict(
                            m.samples(entries.stream().map(StructureEntry::structure).toList()),
                            batchSize);
            StringBuilder sb =
                    new StringBuilder("id,prediction").append(p.csvExtraHeader()).append('\n');
            for (int i = 0; i < entries.size(); i++) {
                p.appendCsv(sb.append(entries.get(i).id()).append(','), i).append('\n');
            }
            AtomicFiles.writeString(output, sb.toString());
        }
        return 0;
    }
}
