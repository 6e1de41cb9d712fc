package org.fusionml.train.cli;

/**
 * Further {@code fusion} subcommands from modules that depend on this one (fusion-bench's {@code
 * fusion bench}), which this module cannot name without a dependency cycle. {@link FusionCli} finds
 * the providers on the class path with {@link java.util.ServiceLoader}: a module registers its
 * provider in {@code META-INF/services/org.fusionml.train.cli.SubcommandProvider}. A provider's
 * command follows the conventions of this package: it throws {@link UserException} (or {@link
 * org.fusionml.data.InvalidInputException}) for user errors, which print one line and exit 2.
 */
public interface SubcommandProvider {
    /**
     * A new picocli command object (an instance of a class annotated with {@code @Command}), added
     * to {@code fusion} under its command name; a name that is already taken is an error.
     */
    Object newCommand();
}
