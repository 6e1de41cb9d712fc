package org.fusionml.train.predict;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.dataset.CrystalDataset;
import org.fusionml.data.dataset.DatasetLoader;
import org.fusionml.data.structure.Structure;
import org.fusionml.train.trainer.GraphModel;
import org.fusionml.train.trainer.TrainingDomain;

/**
 * The training structures of a saved model, found through its provenance: the dataset it names
 * ({@code dataset_source}: a file, or the embedded matbench_jdft2d) or a copy given instead, whose
 * SHA-256 must equal the recorded {@code dataset_sha256}; the structures are those of the domain's
 * training ids.
 */
public final class TrainingData {
    private TrainingData() {}

    /** What to tell the user when the training data cannot be used. */
    static final String HINT =
            " (the out-of-domain flag needs the model's training data: --training-data FILE names"
                    + " a copy, --no-domain predicts without the flag)";

    /**
     * The training structures of {@code model}, in its domain's id order.
     *
     * @param override a copy of the training data to read instead of the recorded source, or null
     * @throws InvalidInputException when the data is missing, changed (SHA-256) or lacks an id
     */
    public static List<Structure> structures(GraphModel model, Path override) {
        TrainingDomain domain = model.domain();
        ObjectNode p = model.provenance();
        String source =
                override != null ? override.toString() : p.path("dataset_source").asText("");
        if (source.isEmpty()) {
            throw new InvalidInputException(
                    "model.json", null, "the provenance records no dataset_source" + HINT);
        }
        CrystalDataset data;
        try {
            data =
                    source.equals("classpath:" + DatasetLoader.EMBEDDED_RESOURCE)
                            ? DatasetLoader.embeddedDefault()
                            : DatasetLoader.load(Path.of(source), null);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(e.source(), e.entry(), e.problem() + HINT, e);
        }
        String recorded = p.path("dataset_sha256").asText("");
        if (!data.provenance().sha256().equals(recorded)) {
            throw new InvalidInputException(
                    source,
                    null,
                    "SHA-256 "
                            + data.provenance().sha256()
                            + " is not that of the model's training data, "
                            + recorded
                            + HINT);
        }
        List<Structure> out = new ArrayList<>(domain.trainIds().size());
        for (String id : domain.trainIds()) {
            int i = data.indexOf(id);
            if (i < 0) {
                throw new InvalidInputException(source, id, "training id not in the data" + HINT);
            }
            out.add(data.get(i).structure());
        }
        return out;
    }
}
