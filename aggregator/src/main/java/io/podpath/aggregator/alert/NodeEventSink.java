package io.podpath.aggregator.alert;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Locale;

/**
 * Kubernetes Events on the Node object (namespace "default", where kubectl describe node looks).
 * The Event's name is derived from the notification id, so a retry replaces rather than repeats.
 */
public final class NodeEventSink implements AlertSink {
  public static final String NAMESPACE = "default";
  private final KubernetesClient client;

  public NodeEventSink(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "events";
  }

  static String eventName(Notification n) {
    String raw =
        "podpath."
            + n.key().node()
            + "."
            + n.key().check()
            + "."
            + n.startsAt().toEpochMilli()
            + "."
            + n.kind().name().toLowerCase(Locale.ROOT);
    return raw.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
  }

  static Event event(Notification n) {
    boolean firing = n.kind() == Notification.Kind.FIRING;
    Instant at = firing ? n.startsAt() : n.endsAt();
    // A RESOLVED notification always carries endsAt; if one ever lacks it, stamp it now rather
    // than fail the delivery.
    String time = (at == null ? Instant.now() : at).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(eventName(n))
        .withNamespace(NAMESPACE)
        .addToLabels("app.kubernetes.io/name", "podpath")
        .addToLabels("podpath.io/check", n.key().check())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion("v1")
        .withKind("Node")
        .withName(n.key().node())
        .endInvolvedObject()
        .withType(firing ? "Warning" : "Normal")
        .withReason(firing ? "PodpathCheckFailing" : "PodpathCheckResolved")
        .withMessage(
            n.key().check()
                + ": "
                + n.summary()
                + (firing && !n.remediation().isEmpty() ? " — " + n.remediation() : ""))
        .withNewSource()
        .withComponent("podpath-aggregator")
        .withHost(n.key().node())
        .endSource()
        .withFirstTimestamp(time)
        .withLastTimestamp(time)
        .withCount(1)
        .build();
  }

  @Override
  public void deliver(Notification n) throws SinkException {
    try {
      // create, and on a retry of the same transition (409) a JSON merge patch (an Event has no
      // list to merge): the two verbs the chart grants. An update (PUT) would need "update".
      client
          .v1()
          .events()
          .inNamespace(NAMESPACE)
          .resource(event(n))
          .createOr(c -> c.patch(PatchContext.of(PatchType.JSON_MERGE)));
    } catch (KubernetesClientException e) {
      throw new SinkException("Kubernetes API: " + e.getMessage(), e);
    }
  }
}
