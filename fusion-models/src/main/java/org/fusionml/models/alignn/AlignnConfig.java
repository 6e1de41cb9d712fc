package org.fusionml.models.alignn;

/**
 * ALIGNN hyper-parameters. Defaults are ALIGNN's: 4 ALIGNN + 4 GCN layers, hidden 256, embedding
 * 64, 80 bond bins on [0, cutoff] A, 40 angle bins on [-1, 1].
 *
 * @param alignnLayers layers updating atoms, bonds and angles
 * @param gcnLayers further layers updating atoms and bonds
 * @param hidden feature width of atoms, bonds and angles
 * @param embedding width of the bond and angle embeddings before projection to hidden
 * @param edgeBins radial basis size for bond lengths
 * @param angleBins radial basis size for angle cosines
 * @param cutoff upper end of the bond basis, Angstrom (the graph cutoff)
 * @param outputs values per structure (1 plain regression, 4 evidential)
 */
public record AlignnConfig(
    int alignnLayers, int gcnLayers, int hidden, int embedding, int edgeBins, int angleBins, double cutoff, int outputs)
    implements org.fusionml.models.ArchitectureConfig {
  public AlignnConfig {
    check("alignn_layers", alignnLayers, 0);
    check("gcn_layers", gcnLayers, 0);
    check("hidden", hidden, 1);
    check("embedding", embedding, 1);
    check("edge_bins", edgeBins, 2);
    check("angle_bins", angleBins, 2);
    check("outputs", outputs, 1);
    if (!(cutoff > 0)) {
      throw new IllegalArgumentException("cutoff (" + cutoff + ") must be > 0 Angstrom");
    }
  }

  private static void check(String name, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(name + " (" + value + ") must be >= " + min);
    }
  }

  /** ALIGNN's defaults with {@code outputs} outputs. */
  public static AlignnConfig defaults(int outputs) {
    return new AlignnConfig(4, 4, 256, 64, 80, 40, 8.0, outputs);
  }

  @Override
  public boolean knnGraph() {
    return true;
  }

  @Override
  public boolean lineGraph() {
    return true;
  }

  @Override
  public AlignnBlock newBlock() {
    return new AlignnBlock(this);
  }

  @Override
  public String name() {
    return "alignn";
  }

  /** The CPU-sized variant: 2 + 2 layers, hidden 64. */
  public static AlignnConfig small(int outputs) {
    return new AlignnConfig(2, 2, 64, 64, 80, 40, 8.0, outputs);
  }
}
