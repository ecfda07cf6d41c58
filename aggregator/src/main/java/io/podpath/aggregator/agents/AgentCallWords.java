package io.podpath.aggregator.agents;

import io.grpc.Status;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * A failed call to an agent in words, with the next step. This text reaches users (sweep rows,
 * trace summaries, the web page), so it never carries a gRPC code name such as UNAVAILABLE; the
 * status and its cause stay on the exception for logs and -v.
 */
final class AgentCallWords {
  private AgentCallWords() {}

  /** "agent on node2 (10.0.0.2:9443) RunChecks: cannot be reached (connection refused); …". */
  static String describe(
      String node,
      AgentAddress address,
      String method,
      Status status,
      Throwable cause,
      @Nullable Duration applied) {
    return "agent on "
        + node
        + " ("
        + address.target()
        + ") "
        + method
        + ": "
        + what(node, address, status, cause, applied);
  }

  private static String what(
      String node,
      AgentAddress address,
      Status status,
      Throwable cause,
      @Nullable Duration applied) {
    String said = said(status);
    return switch (status.getCode()) {
      case UNAVAILABLE ->
          "cannot be reached ("
              + transport(status, cause)
              + "); check that the podpath agent pod on "
              + node
              + " is running and that port "
              + address.port()
              + " is open from the aggregator";
      // The agent's own refusal (a Probe or live packet outside the cluster): its words suffice.
      case PERMISSION_DENIED -> "refused" + (said.isEmpty() ? "" : ": " + said);
      case UNAUTHENTICATED ->
          "refused the connection's TLS identity"
              + (said.isEmpty() ? "" : " (" + said + ")")
              + "; check that agent and aggregator certificates come from the same CA and that"
              + " --tls-client-name/--agent-server-name name them";
      case DEADLINE_EXCEEDED ->
          "did not answer within "
              + (applied == null
                  ? "the call's deadline"
                  : applied.toMillis() + " ms, the call's deadline")
              + "; the node may be overloaded: retry, or raise --agent-timeout";
      case RESOURCE_EXHAUSTED -> "is busy (too many calls at once); try again in a moment";
      case UNIMPLEMENTED ->
          "does not know this call (an agent older than the aggregator?);"
              + " upgrade the agents to the aggregator's version";
      case CANCELLED -> "the call was cancelled";
      case NOT_FOUND -> said.isEmpty() ? "not found" : said;
      case INVALID_ARGUMENT -> "refused the request" + (said.isEmpty() ? "" : ": " + said);
      default -> "failed" + (said.isEmpty() ? "" : ": " + said);
    };
  }

  private static String said(Status status) {
    return status.getDescription() == null ? "" : status.getDescription().strip();
  }

  /** gRPC's "io exception" says nothing; the cause usually does. */
  private static String transport(Status status, Throwable cause) {
    for (@Nullable Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "connection refused";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to host";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host";
      }
      if (t instanceof SSLException) {
        return "TLS handshake failed";
      }
    }
    String said = said(status);
    return said.isEmpty() || said.equalsIgnoreCase("io exception") ? "no connection" : said;
  }
}
