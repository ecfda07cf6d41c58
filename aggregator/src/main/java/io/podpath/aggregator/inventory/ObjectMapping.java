package io.podpath.aggregator.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.aggregator.util.IpLiteral;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps Kubernetes objects (as JSON trees, whether read from a manifest or converted from fabric8
 * models) to inventory records. One mapping for both sources, so they cannot disagree.
 */
public final class ObjectMapping {
  /** OVN-Kubernetes: the IPs this node's tunnels use (newer releases). */
  static final String ENCAP_IPS = "k8s.ovn.org/node-encap-ips";

  /** OVN-Kubernetes: {"ipv4":"172.31.0.11/24"} - the node's primary interface address. */
  static final String PRIMARY_IFADDR = "k8s.ovn.org/node-primary-ifaddr";

  /** OVN-Kubernetes: {"default":"10.244.1.0/24"} or {"default":["10.244.1.0/24"]}. */
  static final String NODE_SUBNETS = "k8s.ovn.org/node-subnets";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ObjectMapping() {}

  /** Human name of an item for error messages: "items[3] (Pod default/web-1)". */
  static String describe(String where, JsonNode item) {
    JsonNode kind = item.path("kind");
    JsonNode meta = item.path("metadata");
    String ns = meta.path("namespace").asText("");
    String name = meta.path("name").asText("?");
    return where + " (" + kind.asText("?") + " " + (ns.isEmpty() ? "" : ns + "/") + name + ")";
  }

  static ObjectRef ref(Fields f) {
    return new ObjectRef(f.text("metadata.namespace", "default"), f.requiredText("metadata.name"));
  }

  public static PodInfo pod(String where, JsonNode item) {
    Fields f = new Fields(describe(where, item), item);
    Set<String> ips = new LinkedHashSet<>();
    List<JsonNode> podIps = f.list("status.podIPs");
    for (int i = 0; i < podIps.size(); i++) {
      ips.add(f.ip(podIps.get(i).get("ip"), "status.podIPs[" + i + "].ip"));
    }
    JsonNode single = f.at("status.podIP");
    // A non-text podIP (a list, a map) must fail by name, not read as "" and vanish.
    if (single != null && !single.isNull() && !(single.isTextual() && single.asText().isEmpty())) {
      ips.add(f.ip(single, "status.podIP"));
    }
    JsonNode hostIpNode = f.at("status.hostIP");
    String hostIp =
        hostIpNode == null || hostIpNode.asText().isEmpty()
            ? ""
            : f.ip(hostIpNode, "status.hostIP");
    boolean ready = false;
    List<JsonNode> conditions = f.list("status.conditions");
    for (JsonNode c : conditions) {
      if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        ready = true;
      }
    }
    String phase = f.text("status.phase", "");
    if (conditions.isEmpty() && "Running".equals(phase)) {
      ready = true;
    }
    return new PodInfo(
        ref(f),
        f.text("spec.nodeName", ""),
        new ArrayList<>(ips),
        hostIp,
        f.stringMap("metadata.labels"),
        phase,
        ready,
        f.bool("spec.hostNetwork", false));
  }

  public static ServiceInfo service(String where, JsonNode item) {
    Fields f = new Fields(describe(where, item), item);
    Set<String> vips = new LinkedHashSet<>();
    List<JsonNode> clusterIps = f.list("spec.clusterIPs");
    for (int i = 0; i < clusterIps.size(); i++) {
      if (!"None".equals(clusterIps.get(i).asText())) {
        vips.add(f.ip(clusterIps.get(i), "spec.clusterIPs[" + i + "]"));
      }
    }
    JsonNode clusterIp = f.at("spec.clusterIP");
    if (clusterIp != null && !clusterIp.asText().isEmpty() && !"None".equals(clusterIp.asText())) {
      vips.add(f.ip(clusterIp, "spec.clusterIP"));
    }
    List<ServiceInfo.Port> ports = new ArrayList<>();
    List<JsonNode> portNodes = f.list("spec.ports");
    for (int i = 0; i < portNodes.size(); i++) {
      JsonNode p = portNodes.get(i);
      String path = "spec.ports[" + i + "]";
      JsonNode target = p.get("targetPort");
      JsonNode nodePort = p.get("nodePort");
      ports.add(
          new ServiceInfo.Port(
              p.path("name").asText(""),
              f.protocol(p.get("protocol"), path + ".protocol"),
              f.port(p.get("port"), path + ".port"),
              target == null || target.isNull() ? "" : target.asText(),
              nodePort == null || nodePort.isNull() ? 0 : f.port(nodePort, path + ".nodePort")));
    }
    // what reaches it from outside besides NodePorts: its ExternalIPs, then its load balancer's
    // ingress addresses (a hostname-only ingress has no address podpath could send to)
    Set<String> outside = new LinkedHashSet<>();
    List<JsonNode> externalIps = f.list("spec.externalIPs");
    for (int i = 0; i < externalIps.size(); i++) {
      outside.add(f.ip(externalIps.get(i), "spec.externalIPs[" + i + "]"));
    }
    List<JsonNode> ingress = f.list("status.loadBalancer.ingress");
    for (int i = 0; i < ingress.size(); i++) {
      JsonNode ip = ingress.get(i).get("ip");
      if (ip != null && !ip.asText().isEmpty()) {
        outside.add(f.ip(ip, "status.loadBalancer.ingress[" + i + "].ip"));
      }
    }
    return new ServiceInfo(
        ref(f),
        f.text("spec.type", "ClusterIP"),
        new ArrayList<>(vips),
        ports,
        new ArrayList<>(outside),
        "Local".equals(f.text("spec.externalTrafficPolicy", "Cluster")));
  }

  /** One EndpointSlice gives one record per address. */
  public static List<ServiceEndpoint> endpointSlice(String where, JsonNode item) {
    Fields f = new Fields(describe(where, item), item);
    String ns = f.text("metadata.namespace", "default");
    String svc = f.stringMap("metadata.labels").getOrDefault("kubernetes.io/service-name", "");
    if (svc.isEmpty()) {
      throw f.error("metadata.labels", "missing kubernetes.io/service-name");
    }
    List<ServiceEndpoint.Port> ports = new ArrayList<>();
    List<JsonNode> portNodes = f.list("ports");
    for (int i = 0; i < portNodes.size(); i++) {
      JsonNode p = portNodes.get(i);
      ports.add(
          new ServiceEndpoint.Port(
              p.path("name").asText(""),
              f.protocol(p.get("protocol"), "ports[" + i + "].protocol"),
              f.port(p.get("port"), "ports[" + i + "].port")));
    }
    List<ServiceEndpoint> out = new ArrayList<>();
    List<JsonNode> eps = f.list("endpoints");
    for (int i = 0; i < eps.size(); i++) {
      JsonNode e = eps.get(i);
      String path = "endpoints[" + i + "]";
      JsonNode ready = e.path("conditions").get("ready");
      Optional<ObjectRef> pod = Optional.empty();
      JsonNode target = e.get("targetRef");
      if (target != null && "Pod".equals(target.path("kind").asText())) {
        pod =
            Optional.of(
                new ObjectRef(target.path("namespace").asText(ns), target.path("name").asText()));
      }
      List<JsonNode> addresses = f.list(e.get("addresses"), path + ".addresses");
      for (int j = 0; j < addresses.size(); j++) {
        out.add(
            new ServiceEndpoint(
                new ObjectRef(ns, svc),
                f.ip(addresses.get(j), path + ".addresses[" + j + "]"),
                pod,
                e.path("nodeName").asText(""),
                // The API says a missing ready condition means ready.
                ready == null || ready.isNull() || ready.asBoolean(),
                ports));
      }
    }
    return out;
  }

  public static NodeInfo node(String where, JsonNode item) {
    Fields f = new Fields(describe(where, item), item);
    String name = f.requiredText("metadata.name");
    List<String> internalIps = new ArrayList<>();
    List<JsonNode> addresses = f.list("status.addresses");
    for (int i = 0; i < addresses.size(); i++) {
      if ("InternalIP".equals(addresses.get(i).path("type").asText())) {
        internalIps.add(
            f.ip(addresses.get(i).get("address"), "status.addresses[" + i + "].address"));
      }
    }
    String internalIp = internalIps.isEmpty() ? "" : internalIps.get(0);
    Map<String, String> annotations = f.stringMap("metadata.annotations");
    String encapIp = encapIp(f, annotations).orElse(internalIp);
    return new NodeInfo(name, internalIp, encapIp, subnets(f, annotations), internalIps);
  }

  private static Optional<String> encapIp(Fields f, Map<String, String> annotations) {
    String path = "metadata.annotations." + ENCAP_IPS;
    JsonNode encap = annotationJson(f, annotations, ENCAP_IPS);
    if (encap != null) {
      if (!encap.isArray() || encap.isEmpty()) {
        throw f.error(
            path, "expected a JSON list of IPs, found '" + annotations.get(ENCAP_IPS) + "'");
      }
      return Optional.of(f.ip(encap.get(0), path + "[0]"));
    }
    JsonNode primary = annotationJson(f, annotations, PRIMARY_IFADDR);
    if (primary != null) {
      String v4 = primary.path("ipv4").asText(primary.path("ipv6").asText(""));
      return Optional.of(
          IpLiteral.fromCidr(v4)
              .orElseThrow(
                  () ->
                      f.error(
                          "metadata.annotations." + PRIMARY_IFADDR,
                          "expected {\"ipv4\":\"A.B.C.D/N\"}, found '"
                              + annotations.get(PRIMARY_IFADDR)
                              + "'")));
    }
    return Optional.empty();
  }

  private static List<String> subnets(Fields f, Map<String, String> annotations) {
    JsonNode n = annotationJson(f, annotations, NODE_SUBNETS);
    List<String> out = new ArrayList<>();
    if (n != null) {
      JsonNode def = n.path("default");
      if (def.isArray()) {
        def.forEach(s -> out.add(s.asText()));
      } else if (def.isTextual()) {
        out.add(def.asText());
      }
    }
    return out;
  }

  private static @Nullable JsonNode annotationJson(
      Fields f, Map<String, String> annotations, String key) {
    String raw = annotations.get(key);
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(raw);
    } catch (JsonProcessingException e) {
      throw f.error("metadata.annotations." + key, "not valid JSON: " + e.getOriginalMessage());
    }
  }

  public static PolicyInfo networkPolicy(String where, JsonNode item) {
    Fields f = new Fields(describe(where, item), item);
    List<String> types = new ArrayList<>();
    f.list("spec.policyTypes").forEach(t -> types.add(t.asText()));
    return new PolicyInfo(ref(f), types);
  }
}
