/**
 * PotNet (Lin et al., ICML 2023) as a DJL block: gated message passing over the bonds of the
 * k-nearest-neighbour graph, each bond described by its length and by the sums of the Coulomb,
 * London and Pauli potentials of its atom pair over all lattice translations.
 */
package org.fusionml.models.potnet;
