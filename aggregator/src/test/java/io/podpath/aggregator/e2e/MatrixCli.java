package io.podpath.aggregator.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.cli.Commands;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** The podpath CLI run in this JVM, as the matrix tests call it. */
final class MatrixCli {
  static final ObjectMapper JSON = new ObjectMapper();

  private MatrixCli() {}

  record Run(int exit, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = Commands.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
