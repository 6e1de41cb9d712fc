/**
 * Benchmarks behind {@code fusion bench}: each prints one machine-readable line per figure, {@code
 * bench <what> key=value ...}. Where the shared data and the PyTorch reference ({@link
 * org.fusionml.bench.PyTorchReference}) are comes in as arguments, from the command's options.
 */
package org.fusionml.bench;
