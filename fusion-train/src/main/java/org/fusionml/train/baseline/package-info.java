/**
 * Pruning strategies behind one interface: FUSION and the paper's baselines (random, diversity
 * sampling by farthest points, weighting factor only, uncertainty only).
 */
package org.fusionml.train.baseline;
