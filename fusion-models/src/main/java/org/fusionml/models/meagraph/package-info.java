/**
 * MEAGraph, the multi-kernel edge-attention graph autoencoder over atomic environments (arXiv
 * 2509.12358).
 */
package org.fusionml.models.meagraph;
