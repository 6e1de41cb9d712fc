/**
 * The {@code fusion bench} command (picocli), added to the {@code fusion} command line of
 * fusion-train through {@link org.fusionml.train.cli.SubcommandProvider}. As there, commands are
 * thin: user errors print one line and exit 2; bugs print a stack trace and exit 1.
 */
package org.fusionml.bench.cli;
