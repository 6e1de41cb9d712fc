/**
 * Data layer of FUSION for Java: crystal structures and their readers, Matbench datasets and
 * splits, periodic neighbour graphs and descriptors. Plain Java, no deep-learning engine.
 */
package org.fusionml.data;
