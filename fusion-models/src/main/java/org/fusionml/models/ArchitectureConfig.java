package org.fusionml.models;

import ai.djl.nn.Block;

/**
 * The configuration of one architecture ({@code AlignnConfig}, {@code CgcnnConfig}, {@code
 * SchnetConfig}): it builds the block and says which graph the block reads. All blocks take {@link org.fusionml.models.batch.GraphBatch#toNDList()} and return [B,
 * outputs].
 */
public interface ArchitectureConfig {
  /** Values per structure (1 plain regression, 4 evidential). */
  int outputs();

  /** Graph cutoff, Angstrom. */
  double cutoff();

  /** True for the ALIGNN k-nearest-neighbour graph, false for a plain radius graph. */
  boolean knnGraph();

  /** Whether the block reads the line graph (bond angles). */
  boolean lineGraph();

  /** A new, uninitialised block. */
  Block newBlock();

  /** The architecture's name in configurations: alignn, cgcnn or schnet. */
  String name();
}
