package io.podpath.aggregator.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * A failed call to the aggregator in the user's words: what went wrong and the next step, never a
 * gRPC code name or a Java class (those are for {@code -v}).
 */
final class GrpcErrors {
  /** Request fields the aggregator names in its errors, and the flags the user typed. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "dst_port", "--dst-port",
          "src_port", "--src-port",
          "max_hops", "--max-hops",
          "check_ids", "--check",
          "nodes", "--node",
          "source", "SRC",
          "destination", "DST",
          "protocol", "the protocol",
          "live", "--live",
          "allow_external", "--allow-external");

  private GrpcErrors() {}

  /**
   * @param where the aggregator as the user would recognise it ("127.0.0.1:9450", "pod
   *     podpath/podpath-aggregator-0 through a port-forward")
   * @param command the subcommand, for "see podpath trace --help"
   */
  static CliFailure explain(
      StatusRuntimeException e, String where, int timeoutSeconds, String command) {
    Status s = e.getStatus();
    String desc = s.getDescription() == null ? "" : s.getDescription().strip();
    Throwable root = root(e);
    String lower = desc.toLowerCase(Locale.ROOT);
    if (lower.contains("content-type") || lower.contains("http status code")) {
      return new CliFailure(
          ExitCodes.UNREACHABLE,
          where
              + " answers HTTP, not gRPC: that is probably the aggregator's HTTP port (/metrics,"
              + " default 9451). Point --aggregator at its gRPC port (podpath serve --listen,"
              + " default 9450)",
          e);
    }
    return switch (s.getCode()) {
      case UNAVAILABLE -> unavailable(e, desc, root, where);
      case DEADLINE_EXCEEDED ->
          new CliFailure(
              ExitCodes.UNREACHABLE,
              "no answer from the aggregator ("
                  + where
                  + ") within "
                  + timeoutSeconds
                  + " s: an agent may be slow or the sweep large. Raise --timeout SECONDS",
              e);
      case INVALID_ARGUMENT, OUT_OF_RANGE ->
          new CliFailure(
              ExitCodes.USAGE, flags(desc) + ". See 'podpath " + command + " --help'", e);
      case NOT_FOUND ->
          new CliFailure(
              ExitCodes.NOT_FOUND,
              desc
                  + (lower.startsWith("node ")
                      ? ". List the nodes with 'kubectl get nodes'"
                      : ". List what exists with 'kubectl get pods,services -n NAMESPACE'"),
              e);
      case FAILED_PRECONDITION ->
          new CliFailure(
              ExitCodes.NOT_READY,
              desc
                  + (lower.contains("sweep")
                      ? ". Run 'podpath sweep' now, or try again in a minute"
                      : ". Try again once that has changed"),
              e);
      case RESOURCE_EXHAUSTED ->
          new CliFailure(
              ExitCodes.NOT_READY,
              "the aggregator (" + where + ") refused the call: " + desc + ". Try again then",
              e);
      case PERMISSION_DENIED, UNAUTHENTICATED ->
          new CliFailure(
              ExitCodes.UNREACHABLE, "the aggregator (" + where + ") refused the call: " + desc, e);
      case UNIMPLEMENTED ->
          new CliFailure(
              ExitCodes.UNREACHABLE,
              where
                  + " does not serve this call: is it a podpath aggregator of this version"
                  + " ('podpath --version')?",
              e);
      default ->
          new CliFailure(
              ExitCodes.UNREACHABLE,
              "the aggregator ("
                  + where
                  + ") failed: "
                  + (desc.isEmpty() ? "no reason given" : desc)
                  + ". Its log says more; run with -v for the details here",
              e);
    };
  }

  private static CliFailure unavailable(
      StatusRuntimeException e, String desc, Throwable root, String where) {
    if (root instanceof UnknownHostException) {
      return new CliFailure(
          ExitCodes.UNREACHABLE,
          "cannot resolve the aggregator's host name ("
              + where
              + "). Check --aggregator (or PODPATH_AGGREGATOR)",
          e);
    }
    if (root instanceof ConnectException
        || root instanceof NoRouteToHostException
        || desc.contains("io exception")) {
      return new CliFailure(
          ExitCodes.UNREACHABLE,
          "cannot connect to the aggregator at "
              + where
              + " (connection refused or no route). Is it running? Start it with 'podpath serve',"
              + " or point --aggregator HOST:PORT at its gRPC port",
          e);
    }
    return new CliFailure(
        ExitCodes.UNREACHABLE,
        "the aggregator ("
            + where
            + ") cannot answer now"
            + (desc.isEmpty() ? "" : ": " + desc)
            + ". Try again in a few seconds; if it persists, check its log and /readyz",
        e);
  }

  /** "dst_port: required for TCP" → "--dst-port: required for TCP". */
  static String flags(String desc) {
    int colon = desc.indexOf(':');
    if (colon > 0) {
      String field = desc.substring(0, colon).strip();
      String flag = FLAGS.get(field);
      if (flag != null) {
        return flag + desc.substring(colon);
      }
    }
    return desc;
  }

  private static Throwable root(Throwable t) {
    Throwable r = t;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    return r;
  }
}
