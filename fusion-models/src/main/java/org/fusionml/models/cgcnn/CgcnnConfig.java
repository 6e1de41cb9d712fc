package org.fusionml.models.cgcnn;

import org.fusionml.models.ArchitectureConfig;

/**
 * CGCNN hyper-parameters; defaults are CGCNN's (3 convolutions, atom features 64, hidden 128,
 * Gaussian distance expansion with 0.2 A steps up to the 8 A cutoff).
 *
 * @param convLayers graph convolutions
 * @param features atom feature width
 * @param hidden width of the layer after pooling
 * @param gaussians distance expansion size
 * @param cutoff graph cutoff and expansion range, Angstrom
 * @param outputs values per structure
 */
public record CgcnnConfig(int convLayers, int features, int hidden, int gaussians, double cutoff, int outputs)
    implements ArchitectureConfig {
  public CgcnnConfig {
    if (convLayers < 1 || features < 1 || hidden < 1 || gaussians < 2 || outputs < 1 || !(cutoff > 0)) {
      throw new IllegalArgumentException("cgcnn needs conv_layers, features, hidden, outputs >= 1, gaussians >= 2, cutoff > 0");
    }
  }

  public static CgcnnConfig defaults(int outputs) {
    return new CgcnnConfig(3, 64, 128, 41, 8.0, outputs);
  }

  @Override
  public boolean knnGraph() {
    return true;
  }

  @Override
  public boolean lineGraph() {
    return false;
  }

  @Override
  public CgcnnBlock newBlock() {
    return new CgcnnBlock(this);
  }

  @Override
  public String name() {
    return "cgcnn";
  }
}
