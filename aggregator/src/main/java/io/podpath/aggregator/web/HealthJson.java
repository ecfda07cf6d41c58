package io.podpath.aggregator.web;

import io.podpath.aggregator.render.SweepRenderer;
import io.podpath.aggregator.sweep.CheckIds;
import io.podpath.aggregator.sweep.ClusterChecks;
import io.podpath.proto.v1.CheckResult;
import io.podpath.proto.v1.CheckStatus;
import io.podpath.proto.v1.Evidence;
import io.podpath.proto.v1.NodeReport;
import io.podpath.proto.v1.SweepResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last sweep for the page: a compact grid (one status code per node and check, so 5,000 nodes
 * are ~100 KB) with the cluster checks and the tunnel mesh's missing pairs; a cell's evidence and
 * fix are fetched when it is opened ({@link #node}).
 */
final class HealthJson {
  private static final Pattern MISSING = Pattern.compile("no tunnel to (.*?)(;|$)");
  private static final Pattern PEER = Pattern.compile("([^,()]+?)\\s*(\\([^)]*\\))?$");

  private HealthJson() {}

  static JsonObject grid(SweepResult r) {
    List<String> checks = new ArrayList<>(CheckIds.NODE);
    for (NodeReport n : r.getNodesList()) {
      n.getChecksList().stream()
          .map(CheckResult::getId)
          .filter(id -> !checks.contains(id))
          .forEach(checks::add);
    }
    JsonArray nodes = new JsonArray();
    for (NodeReport n : r.getNodesList()) {
      JsonArray s = new JsonArray();
      for (String id : checks) {
        s.add(
            n.getChecksList().stream()
                .filter(c -> c.getId().equals(id))
                .findFirst()
                .map(c -> c.getStatus().getNumber())
                .orElse(n.getError().isEmpty() ? 0 : CheckStatus.CHECK_STATUS_UNREACHABLE_VALUE));
      }
      JsonObject o = new JsonObject().put("n", n.getNode()).put("s", s);
      if (!n.getError().isEmpty()) {
        o.put("e", n.getError());
      }
      nodes.add(o);
    }
    JsonArray cluster = new JsonArray();
    r.getClusterChecksList().forEach(c -> cluster.add(check(c)));
    return new JsonObject()
        // RFC 3339 to the second, as the CLI prints it.
        .put("startedAt", SweepRenderer.seconds(r.getStartedAt()))
        .put("finishedAt", SweepRenderer.seconds(r.getFinishedAt()))
        .put("checks", new JsonArray(checks))
        .put("nodes", nodes)
        .put("cluster", cluster)
        .put("missingTunnels", missingTunnels(r));
  }

  static JsonObject node(NodeReport n) {
    JsonArray checks = new JsonArray();
    n.getChecksList().forEach(c -> checks.add(check(c)));
    return new JsonObject()
        .put("node", n.getNode())
        .put("error", n.getError())
        .put("checks", checks);
  }

  static JsonObject check(CheckResult c) {
    JsonArray evidence = new JsonArray();
    for (Evidence e : c.getEvidenceList()) {
      evidence.add(new JsonObject().put("source", e.getSource()).put("value", e.getValue()));
    }
    return new JsonObject()
        .put("id", c.getId())
        .put("status", c.getStatus().getNumber())
        .put("summary", c.getSummary())
        .put("fix", c.getRemediation())
        .put("evidence", evidence);
  }

  /**
   * Node pairs without a working tunnel, from the tunnel-mesh check's per-node evidence ("tunnels
   * of node1": "no tunnel to node3 (10.0.0.3), …"); at most what the check names.
   */
  static JsonArray missingTunnels(SweepResult r) {
    Set<List<String>> pairs = new LinkedHashSet<>();
    for (CheckResult c : r.getClusterChecksList()) {
      if (!c.getId().equals(ClusterChecks.TUNNEL_MESH)) {
        continue;
      }
      for (Evidence e : c.getEvidenceList()) {
        if (!e.getSource().startsWith("tunnels of ")) {
          continue;
        }
        String from = e.getSource().substring("tunnels of ".length());
        Matcher m = MISSING.matcher(e.getValue());
        if (!m.find()) {
          continue;
        }
        for (String peer : m.group(1).split(", ")) {
          Matcher p = PEER.matcher(peer.trim());
          if (p.matches() && !peer.startsWith("…")) {
            // A tunnel is missing for the pair, whichever end reported it: one line per pair.
            String to = p.group(1).trim();
            pairs.add(from.compareTo(to) <= 0 ? List.of(from, to) : List.of(to, from));
          }
        }
      }
    }
    JsonArray out = new JsonArray();
    pairs.forEach(p -> out.add(new JsonArray(p)));
    return out;
  }
}
