/**
 * The closed loop (paper Section 3.5): the grid of methods, ratios, seeds and target architectures,
 * the folds (fixed test part or leave-one-cluster-out by k-means), retraining and evaluation of
 * every cell, the run directory that makes a loop resumable cell by cell, and its SLURM plan.
 */
package org.fusionml.train.loop;
