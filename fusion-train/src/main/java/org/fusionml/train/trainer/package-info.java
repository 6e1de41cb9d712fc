/**
 * Training of graph models on crystal datasets: decoupled AdamW, learning-rate schedules, the epoch
 * loop with early stopping and checkpoints, metrics, saved models and prediction.
 */
package org.fusionml.train.trainer;
