/** Layers shared by the architectures: radial bases, MLP layers, edge-gated graph convolution. */
package org.fusionml.models.layers;
