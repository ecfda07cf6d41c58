package io.podpath.aggregator.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Alertmanager API v2: POST /api/v2/alerts with labels alertname/node/check/severity, startsAt, and
 * endsAt on resolution. Alertmanager deduplicates by labels, so a retry is harmless.
 */
public final class AlertmanagerSink implements AlertSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI alerts;
  private final HttpClient http;
  private final String generatorUrl;

  /** {@code base}: e.g. http://alertmanager:9093 */
  public AlertmanagerSink(URI base, String generatorUrl) {
    this.alerts = base.resolve("/api/v2/alerts");
    this.generatorUrl = generatorUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  }

  @Override
  public String name() {
    return "alertmanager";
  }

  @Override
  public boolean reasserts() {
    return true;
  }

  static String body(Notification n, String generatorUrl) {
    ArrayNode arr = JSON.createArrayNode();
    ObjectNode a = arr.addObject();
    ObjectNode labels = a.putObject("labels");
    labels.put("alertname", Notification.ALERT_NAME);
    labels.put("node", n.key().node());
    labels.put("check", n.key().check());
    labels.put("severity", n.severity());
    ObjectNode ann = a.putObject("annotations");
    ann.put("summary", n.summary());
    if (!n.remediation().isEmpty()) {
      ann.put("remediation", n.remediation());
    }
    a.put("startsAt", n.startsAt().toString());
    if (n.endsAt() != null) {
      a.put("endsAt", n.endsAt().toString());
    }
    if (generatorUrl != null && !generatorUrl.isEmpty()) {
      a.put("generatorURL", generatorUrl);
    }
    return arr.toString();
  }

  @Override
  public void deliver(Notification n) throws SinkException {
    HttpRequest req =
        HttpRequest.newBuilder(alerts)
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(n, generatorUrl)))
            .build();
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new SinkException(alerts + " answered " + r.statusCode() + ": " + r.body());
      }
    } catch (IOException e) {
      throw new SinkException(alerts + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SinkException("interrupted", e);
    }
  }
}
