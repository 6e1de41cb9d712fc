/**
 * Prediction for new structures with a saved model: reading the inputs ({@link StructureInput},
 * files and folders, pluggable), finding the model by folder or by name ({@link ModelLocator}), the
 * predictive uncertainty in the target's unit ({@link PredictiveInterval}), the out-of-domain check
 * against the training data ({@link TrainingData}) and the predictions table ({@link
 * PredictionTable}).
 */
package org.fusionml.train.predict;
