/**
 * Pruning (paper Section 3.4-3.5): the Eq. 7 optimiser that turns influence scores into the set to
 * remove, and one registry of pruning methods behind one interface: FUSION and the paper's
 * baselines (random, uncertainty, weighting factor, diversity, query by committee), minimum set
 * cover and MEAGraph.
 */
package org.fusionml.train.prune;
