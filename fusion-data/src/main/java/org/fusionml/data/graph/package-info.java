/**
 * Periodic neighbour search and the graphs built on it: the ALIGNN k-nearest-neighbour atom graph,
 * its line graph of bond angles, and a plain radius graph. Plain Java, no engine.
 */
package org.fusionml.data.graph;
