package io.podpath.agent.checks;

import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.PermissionDeniedException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.trace.HostSidePorts;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@link ProbeGate} over this node: reads OVSDB (the CNI's pod bridge, its host-side ports, the
 * tunnels' remote IPs, the pods' recorded addresses) and the kernel's route to the destination in
 * the node's netns, then lets {@link ProbeScope} judge. A destination inside {@code --probe-allow}
 * is admitted without reading the node.
 */
public final class NodeProbeGate implements ProbeGate {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final AgentContext agent;
  private final ProbeScope scope;

  public NodeProbeGate(AgentContext agent, ProbeScope scope) {
    this.agent = agent;
    this.scope = scope;
  }

  @Override
  public void admit(InetAddress destination) {
    if (scope.allowedByFlag(destination).isPresent()) {
      return;
    }
    ProbeScope.Verdict v = scope.judge(destination, read(destination));
    if (v instanceof ProbeScope.Verdict.Outside o) {
      throw new PermissionDeniedException(o.message());
    }
  }

  private ProbeScope.NodeView read(InetAddress dst) {
    OvsState ovs;
    try {
      ovs = OvsState.read(agent.ovsdb(), TIMEOUT);
    } catch (AgentException e) {
      throw new UnavailableException(
          "Open_vSwitch database",
          "cannot tell whether "
              + IpLiteral.format(dst)
              + " is inside the cluster: "
              + e.getMessage(),
          e);
    }
    Set<String> cluster = Set.of();
    String note = "";
    try {
      String podBridge = agent.cniOf(ovs).profile().podBridge();
      cluster =
          HostSidePorts.of(ovs).byName().values().stream()
              .filter(p -> p.bridge().equals(podBridge))
              .map(HostSidePorts.Port::name)
              .collect(Collectors.toSet());
      if (cluster.isEmpty()) {
        note = "the pod bridge " + podBridge + " has no host-side port";
      }
    } catch (FailedPreconditionException e) {
      note = "no CNI profile matches this node: " + e.getMessage();
    }
    List<String> problem = new ArrayList<>(); // why ip route get found no route, when it did not
    Optional<IpRoute> route = agent.ip().routeGet(agent.hostNetns(), dst, TIMEOUT, problem::add);
    return new ProbeScope.NodeView(
        agent.nodeName(),
        route.map(r -> new ProbeScope.Route(r.type(), r.device(), r.gateway())),
        String.join("; ", problem),
        cluster,
        note,
        tunnelPeers(ovs),
        podAddresses(ovs));
  }

  private static Set<InetAddress> tunnelPeers(OvsState ovs) {
    Set<InetAddress> out = new HashSet<>();
    for (OvsState.OvsInterface i : ovs.interfaces()) {
      if (i.isTunnel()) {
        IpLiteral.tryParse(i.options().getOrDefault("remote_ip", "")).ifPresent(out::add);
      }
    }
    return out;
  }

  /** OVN-Kubernetes' {@code ip_addresses=10.244.1.4/24,...}, OpenShift SDN's {@code ip=...}. */
  private static Set<InetAddress> podAddresses(OvsState ovs) {
    Set<InetAddress> out = new HashSet<>();
    for (OvsState.OvsInterface i : ovs.interfaces()) {
      String all =
          i.externalIds().getOrDefault("ip_addresses", "")
              + ","
              + i.externalIds().getOrDefault("ip", "");
      for (String a : all.split(",")) {
        String addr = a.strip();
        int slash = addr.indexOf('/');
        IpLiteral.tryParse(slash < 0 ? addr : addr.substring(0, slash)).ifPresent(out::add);
      }
    }
    return out;
  }
}
