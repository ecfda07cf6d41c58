package io.podpath.aggregator.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A generic JSON webhook. The body is signed with HMAC-SHA256 over its exact bytes, sent as {@code
 * X-Podpath-Signature: sha256=<hex>}; {@code id} lets the receiver drop a retried duplicate.
 */
public final class WebhookSink implements AlertSink {
  public static final String SIGNATURE_HEADER = "X-Podpath-Signature";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI url;
  private final byte[] secret;
  private final HttpClient http;

  public WebhookSink(URI url, byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("webhook secret must not be empty");
    }
    this.url = url;
    this.secret = secret.clone();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  static String body(Notification n) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", n.id());
    o.put("status", n.kind() == Notification.Kind.FIRING ? "firing" : "resolved");
    o.put("alertname", Notification.ALERT_NAME);
    o.put("node", n.key().node());
    o.put("check", n.key().check());
    o.put("severity", n.severity());
    o.put("summary", n.summary());
    o.put("remediation", n.remediation());
    o.put("startsAt", n.startsAt().toString());
    if (n.endsAt() != null) {
      o.put("endsAt", n.endsAt().toString());
    }
    return o.toString();
  }

  /**
   * {@code sha256=} followed by the lowercase hex HMAC-SHA256 of {@code body} under {@code key}.
   */
  public static String signature(byte[] key, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public void deliver(Notification n) throws SinkException {
    byte[] body = body(n).getBytes(StandardCharsets.UTF_8);
    HttpRequest req =
        HttpRequest.newBuilder(url)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature(secret, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new SinkException(url + " answered " + r.statusCode());
      }
    } catch (IOException e) {
      throw new SinkException(url + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException("interrupted", e);
    }
  }
}
