/**
 * Matformer (Yan, Liu, Lin and Ji, NeurIPS 2022) as a DJL block: a periodic graph transformer on
 * the k-nearest-neighbour graph with self-connecting edges that encode the lattice.
 */
package org.fusionml.models.matformer;
