package io.saccade.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code saccade} command: train, evaluate, export, serve and measure any network the processor
 * generated, selected by name.
 *
 * <pre>
 * java -jar saccade.jar summary --network AfResNet50Tsm
 * java -jar saccade.jar demo
 * </pre>
 */
@Command(
    name = "saccade",
    mixinStandardHelpOptions = true,
    versionProvider = SaccadeCommand.Version.class,
    description = "Adaptive video recognition networks generated from annotations.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:a check failed (parity mismatch)",
      "2:usage error (unknown command, network or option, a bad value, a missing file)",
      "3:bad data or artefact (unreadable data, a checkpoint, model or weight file that does not fit; a diverged run)",
      "4:internal error (a bug in Saccade: please report it)"
    },
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
      LrFindCommand.class,
      EvalCommand.class,
      ExportCommand.class,
      PredictCommand.class,
      SummaryCommand.class,
      NetworksCommand.class,
      BenchCommand.class,
      ParityCommand.class,
      CommandLine.HelpCommand.class
    })
public final class SaccadeCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** Runs the command line and returns its exit code ({@link ExitCode}). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SaccadeCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          int code = ExitCode.of(e);
          java.io.PrintWriter err = commandLine.getErr();
          if (code == ExitCode.INTERNAL) {
            err.println("internal error: " + e + " (a bug in Saccade; please report it with the lines below)");
            e.printStackTrace(err);
          } else {
            err.println("error: " + ExitCode.message(e));
          }
          err.flush();
          return code;
        });
    return cli.execute(args);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SaccadeCommand.class.getPackage().getImplementationVersion();
      return new String[] {"saccade " + (v == null ? "(development build)" : v)};
    }
  }
}
