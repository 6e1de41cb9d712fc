/**
 * SODNet (Chen et al., NeurIPS 2024), an equivariant graph-attention transformer in the manner of
 * Equiformer, as a DJL block: atoms carry irreducible features of degrees 0..2, bonds their
 * spherical harmonics, messages are depthwise Clebsch-Gordan tensor products weighted by radial
 * networks, and a site's input embedding is the occupancy-weighted sum of its species' embeddings.
 */
package org.fusionml.models.sodnet;
