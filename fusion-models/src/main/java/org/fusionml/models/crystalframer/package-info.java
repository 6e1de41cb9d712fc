/**
 * CrystalFramer (Ito, Taniai, Igarashi, Ushiku and Ono, ICLR 2025) as a DJL block: Crystalformer's
 * attention over the periodic images of every atom with Gaussian distance decay, whose value
 * encodings add the cosines of the relative vectors with a dynamic frame per atom, head and layer
 * chosen from the attention weights (the max frame).
 */
package org.fusionml.models.crystalframer;
