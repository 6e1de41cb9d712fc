package org.fusionml.train.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import org.fusionml.data.InvalidInputException;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code fusion} command line: the commands of this package, then those of the
 * {@link SubcommandProvider}s on the class path (fusion-bench's {@code bench}), then {@code help}.
 */
@Command(
        name = "fusion",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "FUSION dataset pruning for crystal-property models.",
        footer = {
            "",
            "Examples:",
            "  fusion loop --config configs/quickstart.yaml --output runs/quickstart",
            "  fusion report --run runs/quickstart",
            "  fusion help train",
            "Shell completion (bash, zsh): source <(fusion completion)"
        },
        subcommands = {
            GraphCommand.class,
            SymmetryCommand.class,
            SoapCommand.class,
            FingerprintCommand.class,
            TrainCommand.class,
            PredictCommand.class,
            ScoreCommand.class,
            PruneCommand.class,
            LoopCommand.class,
            ReportCommand.class
        })
public final class FusionCli implements Runnable {
    /** Exit code of user errors (bad input, bad options). */
    public static final int USER_ERROR = 2;

    /** Exit code of unexpected failures (bugs). */
    public static final int BUG = 1;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(
            names = {"-q", "--quiet"},
            scope = CommandLine.ScopeType.INHERIT,
            description = "Print results and errors only: no progress bars or log lines.")
    boolean quiet;

    @CommandLine.Option(
            names = {"-v", "--verbose"},
            scope = CommandLine.ScopeType.INHERIT,
            description =
                    "Also print library log messages (DJL, PyTorch) and the stack trace of user"
                            + " errors.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(args, out, err));
    }

    /**
     * Runs the command line with the given writers and returns the exit code: 0 on success, {@link
     * #USER_ERROR} for bad input or options (one line on {@code err}), {@link #BUG} otherwise (with
     * the stack trace).
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // Both flags act before the commands run (and before DJL's logger starts), so they are read
        // here;
        // picocli also declares them, inherited by every command, for --help and parsing.
        List<String> given = Arrays.asList(args);
        boolean quiet = given.contains("-q") || given.contains("--quiet");
        boolean verbose = given.contains("-v") || given.contains("--verbose");
        if (verbose && System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        CommandLine cli = new CommandLine(new FusionCli());
        for (SubcommandProvider provider : ServiceLoader.load(SubcommandProvider.class)) {
            cli.addSubcommand(provider.newCommand());
        }
        cli.addSubcommand(new CommandLine.HelpCommand());
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(false);
        cli.addSubcommand("completion", completion);
        // One spelling for values everywhere: lower case, as in YAML (enums match either case).
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpAutoWidth(true);
        cli.setOut(out);
        // Commands write progress and log lines to the command line's err writer; errors go to err.
        cli.setErr(quiet ? new PrintWriter(Writer.nullWriter()) : err);
        cli.setParameterExceptionHandler(
                (ex, a) -> {
                    err.println("fusion: " + ex.getMessage());
                    err.println(
                            "Try 'fusion "
                                    + commandName(ex.getCommandLine())
                                    + "--help' for usage.");
                    return USER_ERROR;
                });
        cli.setExecutionExceptionHandler(
                (ex, commandLine, parseResult) -> {
                    if (ex instanceof InvalidInputException || ex instanceof UserException) {
                        if (verbose) {
                            ex.printStackTrace(err);
                        }
                        err.println(ex.getMessage());
                        return USER_ERROR;
                    }
                    ex.printStackTrace(err);
                    return BUG;
                });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static String commandName(CommandLine c) {
        return c.getParent() == null ? "" : c.getCommandName() + " ";
    }
}
