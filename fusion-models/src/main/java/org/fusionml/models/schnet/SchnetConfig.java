package org.fusionml.models.schnet;

import org.fusionml.models.ArchitectureConfig;

/**
 * SchNet hyper-parameters; defaults as SchNet's crystal setting: 3 interactions, 64 features, 50
 * Gaussians, radius graph with cutoff 5 A (cosine cutoff on the filters).
 *
 * @param interactions interaction blocks
 * @param features atom feature and filter width
 * @param gaussians distance expansion size
 * @param cutoff radius graph cutoff, Angstrom
 * @param outputs values per structure
 */
public record SchnetConfig(int interactions, int features, int gaussians, double cutoff, int outputs)
    implements ArchitectureConfig {
  public SchnetConfig {
    if (interactions < 1 || features < 2 || gaussians < 2 || outputs < 1 || !(cutoff > 0)) {
      throw new IllegalArgumentException("schnet needs interactions, outputs >= 1, features, gaussians >= 2, cutoff > 0");
    }
  }

  public static SchnetConfig defaults(int outputs) {
    return new SchnetConfig(3, 64, 50, 5.0, outputs);
  }

  @Override
  public boolean knnGraph() {
    return false;
  }

  @Override
  public boolean lineGraph() {
    return false;
  }

  @Override
  public SchnetBlock newBlock() {
    return new SchnetBlock(this);
  }

  @Override
  public String name() {
    return "schnet";
  }
}
