package org.fusionml.train.trainer;

import ai.djl.training.Trainer;
import java.util.List;
import org.fusionml.data.dataset.Split;
import org.fusionml.models.batch.GraphSample;

/**
 * What one call of {@link GraphTrainer#train} works with once the model, the DJL trainer and the
 * optimizer are set up: shared by the epoch loop, the batch steps and the final evaluation.
 *
 * @param targets every structure's target, target unit
 * @param z the standardisation of the training targets
 * @param settingsHash the settings' hash that checkpoints record ({@link RunDirectory#claim})
 */
record TrainingSession(
        RunDirectory run,
        GraphModel model,
        Trainer trainer,
        DecoupledAdamW optimizer,
        List<GraphSample> samples,
        Split split,
        double[] targets,
        Standardization z,
        String settingsHash) {}
