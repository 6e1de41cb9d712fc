/** Training, FUSION scoring and pruning, baselines, evaluation and the command line. */
package org.fusionml.train;
