package org.fusionml.bench.cli;

import org.fusionml.train.cli.SubcommandProvider;

/**
 * Adds {@code fusion bench} to the {@code fusion} command line (registered in {@code
 * META-INF/services/org.fusionml.train.cli.SubcommandProvider}).
 */
public final class BenchCommandProvider implements SubcommandProvider {
    @Override
    public Object newCommand() {
        return new BenchCommand();
    }
}
