/** Running a loop's cells elsewhere: SLURM job arrays. */
package org.fusionml.train.sweep;
