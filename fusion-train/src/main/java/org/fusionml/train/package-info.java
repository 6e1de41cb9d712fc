/**
 * Training and FUSION pruning, one package per pipeline stage: {@code config} (YAML into records),
 * {@code trainer} (surrogate and target training, saved models, prediction), {@code score} (Eq. 3,
 * 5, 6), {@code prune} (Eq. 7 and the baselines), {@code loop} (retraining over the grid), {@code
 * report} (tables, tests, charts) and {@code cli} (the command line).
 */
package org.fusionml.train;
