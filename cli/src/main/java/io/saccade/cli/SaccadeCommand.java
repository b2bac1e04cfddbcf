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
    subcommands = {
      DemoCommand.class,
      TrainCommand.class,
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

  /** Runs the command line and returns its exit code. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new SaccadeCommand());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof IllegalArgumentException
              || e instanceof java.io.IOException
              || e instanceof java.io.UncheckedIOException) {
            String message = e instanceof java.nio.file.NoSuchFileException n
                ? "no such file: " + n.getFile() + (n.getReason() == null ? "" : " (" + n.getReason() + ")")
                : e.getMessage();
            commandLine.getErr().println("error: " + message);
            return 2;
          }
          throw e;
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
