package io.podpath.aggregator.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One NPD-style condition, {@value #TYPE}, on each Node that podpath sweeps: True while any check
 * of that node fires, False once they have all resolved, so {@code kubectl describe node} shows it.
 *
 * <p>Written as a JSON Patch of nodes/status that touches only this condition: a {@code test} of
 * its index and type, then {@code replace} (or {@code add} at the end when it is not there yet).
 * The kubelet's conditions are never rewritten, and if the list moved between the read and the
 * patch the server refuses it and the queue retries. Verbs: get nodes (which the aggregator has for
 * its inventory) and patch nodes/status. Firing alerts are re-asserted every sweep, which refreshes
 * lastHeartbeatTime and rebuilds the set of failing checks after a restart.
 */
public final class NodeConditionSink implements AlertSink {
  public static final String TYPE = "PodNetworkUnhealthy";
  static final String REASON_FAILING = "PodpathChecksFailing";
  static final String REASON_PASSING = "PodpathChecksPassing";

  /** A Node's condition message is shown in one line of kubectl describe: keep it short. */
  static final int MAX_MESSAGE = 1024;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final KubernetesClient client;

  /** node → failing check → its summary; guarded by this. */
  private final Map<String, Map<String, String>> failing = new HashMap<>();

  public NodeConditionSink(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public String name() {
    return "node-conditions";
  }

  @Override
  public boolean reasserts() {
    return true;
  }

  @Override
  public synchronized void deliver(Notification n) throws SinkException {
    String node = n.key().node();
    if (node.equals("cluster")) {
      return; // cluster-level checks have no Node to carry them
    }
    Map<String, String> checks = failing.computeIfAbsent(node, k -> new TreeMap<>());
    if (n.kind() == Notification.Kind.FIRING) {
      checks.put(n.key().check(), n.summary());
    } else {
      checks.remove(n.key().check());
    }
    try {
      Node current = client.nodes().withName(node).get();
      if (current == null) {
        throw new SinkException("Kubernetes API: Node " + node + " not found");
      }
      client
          .nodes()
          .withName(node)
          .subresource("status")
          .patch(PatchContext.of(PatchType.JSON), patch(current, checks, n));
    } catch (KubernetesClientException e) {
      // Keep the set as it now is: the retry re-reads the Node and sends the same condition.
      throw new SinkException(
          "Kubernetes API (nodes/status of " + node + "): " + e.getMessage(), e);
    }
  }

  /** The JSON Patch that sets our condition on {@code node} as it was just read. */
  static String patch(Node node, Map<String, String> checks, Notification n) {
    List<NodeCondition> conditions =
        node.getStatus() == null ? null : node.getStatus().getConditions();
    boolean unhealthy = !checks.isEmpty();
    String status = unhealthy ? "True" : "False";
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    int index = -1;
    NodeCondition old = null;
    for (int i = 0; conditions != null && i < conditions.size(); i++) {
      if (TYPE.equals(conditions.get(i).getType())) {
        index = i;
        old = conditions.get(i);
      }
    }
    String transition;
    if (old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null) {
      transition = old.getLastTransitionTime();
    } else {
      Instant at = n.kind() == Notification.Kind.FIRING ? n.startsAt() : n.endsAt();
      transition = (at == null ? now : at.truncatedTo(ChronoUnit.SECONDS)).toString();
    }
    ObjectNode c = JSON.createObjectNode();
    c.put("type", TYPE);
    c.put("status", status);
    c.put("reason", unhealthy ? REASON_FAILING : REASON_PASSING);
    c.put("message", message(checks));
    c.put("lastHeartbeatTime", now.toString());
    c.put("lastTransitionTime", transition);

    ArrayNode ops = JSON.createArrayNode();
    if (index >= 0) {
      String path = "/status/conditions/" + index;
      ops.addObject().put("op", "test").put("path", path + "/type").put("value", TYPE);
      ops.addObject().put("op", "replace").put("path", path).set("value", c);
    } else if (node.getStatus() == null) {
      ops.addObject()
          .put("op", "add")
          .put("path", "/status")
          .putObject("value")
          .putArray("conditions")
          .add(c);
    } else if (conditions == null) {
      ops.addObject().put("op", "add").put("path", "/status/conditions").putArray("value").add(c);
    } else {
      ops.addObject().put("op", "add").put("path", "/status/conditions/-").set("value", c);
    }
    return ops.toString();
  }

  static String message(Map<String, String> checks) {
    if (checks.isEmpty()) {
      return "every podpath check of this node passes";
    }
    StringBuilder b = new StringBuilder("failing podpath checks: ");
    checks.forEach((check, summary) -> b.append(check).append(" (").append(summary).append("); "));
    String m = b.substring(0, b.length() - 2);
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 3) + "...";
  }
}
