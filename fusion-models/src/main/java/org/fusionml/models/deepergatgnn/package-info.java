/**
 * DeeperGATGNN (Omee et al., Patterns 3, 100491, 2022) as a DJL block: GATGNN's attention
 * convolutions with differentiable group normalisation and skip connections, and its global
 * attention readout.
 */
package org.fusionml.models.deepergatgnn;
