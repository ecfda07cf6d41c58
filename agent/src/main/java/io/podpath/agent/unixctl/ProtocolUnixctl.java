package io.podpath.agent.unixctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ovsdb.JsonRpcConnection;
import io.podpath.agent.ovsdb.Remote;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * unixctl over its JSON-RPC socket: {"method":M,"params":[strings],"id":N} answered by {"result":
 * text, "error": null|text}. One short connection per call: the daemon serves many, and a fresh
 * connection follows a restarted daemon's new socket.
 */
public final class ProtocolUnixctl implements Unixctl {
  static final Pattern METHOD = Pattern.compile("[a-z0-9][a-z0-9/_-]{0,63}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Supplier<Path> socket;

  public ProtocolUnixctl(Supplier<Path> socket) {
    this.socket = socket;
  }

  @Override
  public String call(String method, List<String> params, Duration timeout) {
    checkMethod(method);
    Instant deadline = Instant.now().plus(timeout);
    ArrayNode p = JSON.createArrayNode();
    params.forEach(p::add);
    try (JsonRpcConnection c = JsonRpcConnection.open(Remote.unix(socket.get()), timeout)) {
      JsonNode resp = c.call(method, p, deadline);
      JsonNode err = resp.get("error");
      if (err != null && !err.isNull()) {
        throw new UnixctlException(method, err.isTextual() ? err.asText() : err.toString());
      }
      JsonNode result = resp.get("result");
      if (result == null || !result.isTextual()) {
        throw new ProtocolException(method + ": unixctl result is not a string: " + result);
      }
      return result.asText();
    }
  }

  static void checkMethod(String method) {
    if (!METHOD.matcher(method).matches()) {
      throw new IllegalArgumentException("bad unixctl method name");
    }
  }

  @Override
  public String via() {
    return "unixctl";
  }
}
