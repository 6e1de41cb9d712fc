/** Aggregation of closed-loop cells into the paper's tables. */
package org.fusionml.train.eval;
