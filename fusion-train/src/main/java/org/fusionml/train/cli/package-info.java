/**
 * The {@code fusion} command line (picocli). Commands are thin: they parse options, call the
 * pipeline stages and write results atomically. User errors print one line and exit 2; bugs print a
 * stack trace and exit 1.
 */
package org.fusionml.train.cli;
