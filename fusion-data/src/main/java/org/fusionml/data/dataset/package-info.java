/**
 * Datasets of (id, structure, target) with provenance: Matbench files, folders of structure files
 * with an {@code id_prop.csv} (ALIGNN / CGCNN), the Matbench task registry, the embedded default
 * dataset (matbench_jdft2d) and train/validation/test splits.
 */
package org.fusionml.data.dataset;
