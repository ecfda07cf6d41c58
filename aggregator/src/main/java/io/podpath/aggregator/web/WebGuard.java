package io.podpath.aggregator.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What every web request passes first. The page is for an operator who reached it by {@code kubectl
 * port-forward} (which connects to the pod's loopback), so it answers only on a loopback local
 * address and only for a loopback Host name (no DNS rebinding), even when /metrics listens on the
 * pod IP. A trace is a POST that must carry {@link #HEADER} (a cross-site form cannot set it, and a
 * cross-site fetch with it needs a CORS preflight we never grant) and, when the browser says where
 * it comes from, a same-origin {@code Origin}/{@code Sec-Fetch-Site}.
 */
final class WebGuard {
  static final String HEADER = "X-Podpath-Request";
  static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

  private WebGuard() {}

  static void handle(RoutingContext ctx) {
    var headers = ctx.response().headers();
    headers.set("Content-Security-Policy", CSP);
    headers.set("X-Content-Type-Options", "nosniff");
    headers.set("Referrer-Policy", "no-referrer");
    headers.set("Cache-Control", "no-store");
    headers.set("Cross-Origin-Resource-Policy", "same-origin");
    Optional<String> refusal = refusal(ctx);
    if (refusal.isPresent()) {
      ctx.response()
          .setStatusCode(403)
          .putHeader("content-type", "text/plain")
          .end(refusal.get() + "\n");
      return;
    }
    ctx.next();
  }

  /** Why the request is refused, or empty when it may pass. */
  static Optional<String> refusal(RoutingContext ctx) {
    var local = ctx.request().localAddress();
    if (local == null || !loopback(local.hostAddress())) {
      return Optional.of(
          "the podpath web page answers on loopback only: reach it with kubectl port-forward");
    }
    // authority(): the Host header, or :authority under HTTP/2.
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? "" : bracketed(authority.host().toLowerCase(Locale.ROOT));
    if (!LOOPBACK_HOSTS.contains(host)) {
      return Optional.of("Host must be localhost, 127.0.0.1 or [::1]");
    }
    if (HttpMethod.POST.equals(ctx.request().method())) {
      if (ctx.request().getHeader(HEADER) == null) {
        return Optional.of(
            "a POST must carry the " + HEADER + " header (sent by the podpath page)");
      }
      String site = ctx.request().getHeader("Sec-Fetch-Site");
      if (site != null && !site.equals("same-origin") && !site.equals("none")) {
        return Optional.of("cross-site request refused");
      }
      String origin = ctx.request().getHeader("Origin");
      String self = "http://" + host + (authority.port() >= 0 ? ":" + authority.port() : "");
      if (origin != null && !origin.equals(self)) {
        return Optional.of("cross-origin request refused");
      }
    }
    return Optional.empty();
  }

  static boolean loopback(String address) {
    return address.startsWith("127.")
        || address.equals("::1")
        || address.equals("0:0:0:0:0:0:0:1")
        || address.equals("::ffff:127.0.0.1");
  }

  static String bracketed(String host) {
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  /** "localhost:7519" → "localhost", "[::1]:80" → "[::1]". */
  static String hostName(String hostHeader) {
    if (hostHeader == null) {
      return "";
    }
    String h = hostHeader.toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(0, end + 1);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }
}
