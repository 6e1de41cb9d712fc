/**
 * Layers shared by the architectures: radial bases, MLP layers and dense stacks, edge-gated graph
 * convolution (ALIGNN), set2set readout (MEGNet), AGAT convolution and differentiable group
 * normalisation (DeeperGATGNN), the graph-transformer layers of Matformer and of ComFormer (node-
 * and edge-wise).
 */
package org.fusionml.models.layers;
