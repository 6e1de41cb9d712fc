/** Graphs of single structures (plain arrays) and their concatenation into engine batches. */
package org.fusionml.models.batch;
