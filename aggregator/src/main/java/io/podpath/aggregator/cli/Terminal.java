package io.podpath.aggregator.cli;

/** Whether the CLI talks to a person: colour and progress only then. */
final class Terminal {
  private Terminal() {}

  // The images and the supported JDK are 17, where console() is null unless stdin and stdout are a
  // terminal. JDK 22 always returns a Console; move to Console.isTerminal() when 22 is the floor.
  @SuppressWarnings("SystemConsoleNull")
  static boolean interactive() {
    return System.console() != null;
  }
}
