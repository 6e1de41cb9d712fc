/**
 * The split stage: which dataset a run reads and how it is cut into training, validation and a
 * fixed test part (the folds themselves are {@link org.fusionml.data.dataset.Splits}).
 */
package org.fusionml.train.split;
