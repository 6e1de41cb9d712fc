/**
 * Periodic neighbour search and the graphs built on it: the ALIGNN k-nearest-neighbour atom graph,
 * its line graph of bond angles, a plain radius graph, self-connecting lattice edges (Matformer,
 * ComFormer) and a lattice's shortest basis. Plain Java, no engine.
 */
package org.fusionml.data.graph;
