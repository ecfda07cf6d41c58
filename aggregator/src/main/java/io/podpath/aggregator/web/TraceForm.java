package io.podpath.aggregator.web;

import io.podpath.aggregator.api.EndpointProtos;
import io.podpath.aggregator.trace.EndpointSpec;
import io.podpath.proto.v1.Endpoint;
import io.podpath.proto.v1.Protocol;
import io.podpath.proto.v1.TraceRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The page's trace form ({@code source}, {@code destination} in the CLI's syntax, {@code protocol},
 * {@code port}, {@code verbose}) as the same TraceRequest the CLI sends; every rejection names the
 * field.
 */
final class TraceForm {
  private TraceForm() {}

  static TraceRequest parse(JsonObject body) {
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
    int port = 0;
    Object raw = body.getValue("port");
    if (raw != null && !raw.toString().isBlank() && p != Protocol.PROTOCOL_ICMP) {
      try {
        port = Integer.parseInt(raw.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("port: not a number");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port: " + port + " is not in 1-65535");
      }
    }
    return TraceRequest.newBuilder()
        .setSource(endpoint(text(body, "source", ""), "source"))
        .setDestination(endpoint(text(body, "destination", ""), "destination"))
        .setProtocol(p)
        .setDstPort(port)
        .setIncludeRaw(Boolean.TRUE.equals(body.getValue("verbose")))
        .build();
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
