package io.podpath.aggregator.web;

import io.podpath.aggregator.api.EndpointProtos;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The page's trace form ({@code source}, {@code destination} in the CLI's syntax, {@code protocol},
 * {@code port}, {@code size}, {@code fragment}, {@code verbose}) as the same TraceRequest the CLI
 * sends; every rejection names the field.
 */
final class TraceForm {
  /** IPv4's minimum MTU and the largest IP total length: the CLI's --size range. */
  static final int MIN_SIZE = 68;

  static final int MAX_SIZE = 65535;

  private TraceForm() {}

  static TraceRequest parse(@Nullable JsonObject body) {
    if (body == null) {
      throw new IllegalArgumentException("body: a JSON object is required");
    }
    Protocol p =
        switch (text(body, "protocol", "tcp").toLowerCase(Locale.ROOT)) {
          case "tcp" -> Protocol.PROTOCOL_TCP;
          case "udp" -> Protocol.PROTOCOL_UDP;
          case "icmp" -> Protocol.PROTOCOL_ICMP;
          case "sctp" -> Protocol.PROTOCOL_SCTP;
          default -> throw new IllegalArgumentException("protocol: one of tcp, udp, icmp, sctp");
        };
    int port = p == Protocol.PROTOCOL_ICMP ? 0 : number(body, "port", 1, 65535, "");
    int size =
        number(
            body, "size", MIN_SIZE, MAX_SIZE, " (the IP total length in bytes, headers included)");
    return TraceRequest.newBuilder()
        .setSource(endpoint(text(body, "source", ""), "source"))
        .setDestination(endpoint(text(body, "destination", ""), "destination"))
        .setProtocol(p)
        .setDstPort(port)
        .setSize(size)
        .setAllowFragmentation(flag(body, "fragment"))
        .setIncludeRaw(flag(body, "verbose"))
        .build();
  }

  /** An optional whole number in {@code [min, max]}; absent or blank is 0 (the default). */
  private static int number(JsonObject body, String key, int min, int max, String what) {
    Object raw = body.getValue(key);
    if (raw == null || raw.toString().isBlank()) {
      return 0;
    }
    int n;
    try {
      n = Integer.parseInt(raw.toString().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + ": not a number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException(key + ": " + n + " is not in " + min + "-" + max + what);
    }
    return n;
  }

  private static boolean flag(JsonObject body, String key) {
    Object v = body.getValue(key);
    return Boolean.TRUE.equals(v) || "true".equals(v);
  }

  private static String text(JsonObject body, String key, String fallback) {
    Object v = body.getValue(key);
    return v == null ? fallback : v.toString();
  }

  static Endpoint endpoint(String text, String field) {
    if (text.isBlank()) {
      throw new IllegalArgumentException(field + ": required (NS/POD, svc/NS/NAME or ip:ADDR)");
    }
    EndpointSpec e;
    try {
      e = EndpointSpec.parse(text);
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(field + ": " + ex.getMessage(), ex);
    }
    return EndpointProtos.toProto(e);
  }
}
