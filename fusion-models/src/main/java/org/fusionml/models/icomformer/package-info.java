/**
 * iComFormer (Yan, Fu, Qian and Ji, ICLR 2024), the invariant ComFormer, as a DJL block: node-wise
 * transformer layers on the k-nearest-neighbour graph with lattice loops, and an edge-wise layer
 * through which every bond sees the lengths of its crystal's shortest lattice vectors and its
 * angles with them.
 */
package org.fusionml.models.icomformer;
