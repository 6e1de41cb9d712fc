package org.fusionml.train.cli;

import java.io.PrintWriter;
import org.fusionml.data.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code fusion} command line. */
@Command(
    name = "fusion",
    mixinStandardHelpOptions = true,
    version = "fusion 0.1.0",
    description = "FUSION dataset pruning for crystal-property models.",
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
      ReportCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class FusionCli implements Runnable {
  /** Exit code of user errors (bad input, bad options). */
  public static final int USER_ERROR = 2;

  /** Exit code of unexpected failures (bugs). */
  public static final int BUG = 1;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

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
    CommandLine cli = new CommandLine(new FusionCli());
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          err.println("fusion: " + ex.getMessage());
          err.println("Try 'fusion " + commandName(ex.getCommandLine()) + "--help' for usage.");
          return USER_ERROR;
        });
    cli.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof InvalidInputException || ex instanceof UserException) {
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
