package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.fusionml.models.ArchitectureConfig;
import org.fusionml.models.alignn.AlignnConfig;
import org.fusionml.train.split.DataSettings;

/**
 * A training run ({@code fusion train --config FILE.yaml}).
 *
 * @param data which dataset and split
 * @param model architecture, chosen by {@code type:} ({@code alignn}, {@code cgcnn}, {@code
 *     schnet}, {@code megnet}, {@code deepergatgnn}, {@code matformer}, {@code icomformer}, {@code
 *     ecomformer}, {@code potnet}, {@code crystalframer}, {@code sodnet}; default alignn)
 * @param loss objective
 * @param train optimisation settings
 */
public record TrainConfig(
        @JsonProperty("data") DataSettings data,
        @JsonProperty("model") ArchitectureConfig model,
        @JsonProperty("loss") LossSettings loss,
        @JsonProperty("train") TrainSettings train) {

    public TrainConfig {
        data = data == null ? DataSettings.defaults() : data;
        model = model == null ? AlignnConfig.defaults() : model;
        loss = loss == null ? LossSettings.defaults() : loss;
        train = train == null ? TrainSettings.defaults() : train;
        if (loss.type().equals("der") && !model.head().equals("evidential")) {
            throw new IllegalArgumentException("loss.type der needs model.head evidential");
        }
    }

    /** The same run on another dataset and split. */
    public TrainConfig withData(DataSettings newData) {
        return new TrainConfig(newData, model, loss, train);
    }

    /** The same run with another seed of initialisation and shuffling. */
    public TrainConfig withSeed(long seed) {
        return new TrainConfig(data, model, loss, train.withSeed(seed));
    }
}
