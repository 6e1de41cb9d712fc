/**
 * eComFormer (Yan, Fu, Qian and Ji, ICLR 2024), the equivariant ComFormer, as a DJL block:
 * iComFormer's node-wise transformer layers on the k-nearest-neighbour graph with lattice loops,
 * and after the first of them an equivariant node update that couples the atoms' features with the
 * spherical harmonics of the bond vectors by Clebsch-Gordan tensor products.
 */
package org.fusionml.models.ecomformer;
