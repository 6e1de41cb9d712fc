/**
 * Datasets of (id, structure, target) with provenance, the Matbench task registry, the embedded
 * default dataset (matbench_jdft2d) and train/validation/test splits.
 */
package org.fusionml.data.dataset;
