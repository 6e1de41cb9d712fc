/**
 * Benchmarks behind {@code fusion bench}: each prints one machine-readable line per figure, {@code
 * bench <what> key=value ...}.
 */
package org.fusionml.bench;
