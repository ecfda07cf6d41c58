package io.podpath.agent.checks;

import io.podpath.agent.AgentContext;
import io.podpath.agent.cni.CniProfile;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.FailedPreconditionException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsdbClient;
import io.podpath.agent.ovsdb.OvsdbCondition;
import io.podpath.agent.ovsdb.OvsdbRow;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.pod.PodKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The checks' ports over the agent's own plumbing: the command runner, the netns executor (for
 * host-netns reads and pod netns work), the OVSDB client and ovs-vswitchd's unixctl.
 */
public final class AgentCheckPorts implements HostAccess, PodAccess, OvsAccess {
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final AgentContext agent;
  private final Function<PodKey, Optional<Path>> podNetns;

  /** {@code podNetns}: the pod locator's answer, a path naming the pod's network namespace. */
  public AgentCheckPorts(AgentContext agent, Function<PodKey, Optional<Path>> podNetns) {
    this.agent = agent;
    this.podNetns = podNetns;
  }

  /** The same ports, each pod's namespace located once: what one run of the checks uses. */
  AgentCheckPorts forOneRun() {
    return new AgentCheckPorts(agent, new NetnsMemo(podNetns));
  }

  @Override
  public String readFile(String path) throws AccessException {
    if (agent.hostNetns().isEmpty()) {
      return read(Path.of(path));
    }
    // /proc/net is /proc/self/net: the thread group's netns. A thread that entered the host
    // netns sees its own through /proc/thread-self/net. /proc/sys/net follows the thread already.
    Path p =
        Path.of(
            path.startsWith("/proc/net/") ? "/proc/thread-self/net/" + path.substring(10) : path);
    try {
      return agent
          .netns()
          .call(
              agent.hostNetns().get(),
              TIMEOUT,
              () -> {
                try {
                  return readProc(p);
                } catch (NoSuchFileException e) {
                  throw new NotFoundException(path + " does not exist");
                }
              });
    } catch (NotFoundException e) {
      throw new AccessException(AccessException.Kind.NOT_FOUND, e.getMessage());
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
  }

  /**
   * One large read from offset 0. Files.readString reads a zero-size file byte by byte, and a
   * sysctl file answers a read at a non-zero offset with EOF: "262144" would come back as "2".
   */
  static String readProc(Path p) throws IOException {
    try (InputStream in = Files.newInputStream(p)) {
      return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
    }
  }

  private static String read(Path p) throws AccessException {
    try {
      return readProc(p);
    } catch (NoSuchFileException e) {
      throw new AccessException(AccessException.Kind.NOT_FOUND, p + " does not exist");
    } catch (IOException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, p + ": " + e.getMessage(), e);
    }
  }

  @Override
  public CommandOutput run(List<String> argv) throws AccessException {
    return exec(Command.of(argv).withTimeout(TIMEOUT).inNetns(agent.hostNetns()));
  }

  @Override
  public CommandOutput run(PodKey pod, List<String> argv) throws AccessException {
    return exec(Command.of(argv).withTimeout(TIMEOUT).inNetns(Optional.of(netnsOf(pod))));
  }

  @Override
  public <T> T call(PodKey pod, NetnsCall<T> task) throws AccessException {
    Path ns = netnsOf(pod);
    try {
      return agent.netns().call(ns, Duration.ofSeconds(15), task::call);
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
  }

  /**
   * A namespace the locator cannot prove to be the pod's (its interface gone, a look-alike) is, for
   * a check, a pod whose namespace is not found: the check names that pod instead of failing whole.
   */
  private Path netnsOf(PodKey pod) throws AccessException {
    Optional<Path> ns;
    try {
      ns = podNetns.apply(pod);
    } catch (FailedPreconditionException | NotFoundException e) {
      throw new AccessException(AccessException.Kind.NOT_FOUND, e.getMessage(), e);
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
    return ns.orElseThrow(
        () ->
            new AccessException(
                AccessException.Kind.NOT_FOUND, "no network namespace found for pod " + pod));
  }

  private CommandOutput exec(Command c) throws AccessException {
    try {
      CommandResult r = agent.runner().run(c);
      return new CommandOutput(r.argv(), r.exitCode(), r.stdout(), r.stderr());
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
  }

  @Override
  public OvsSnapshot snapshot() throws AccessException {
    OvsState s;
    try {
      s = OvsState.read(agent.ovsdb(), TIMEOUT);
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
    Map<String, String> bridgeOfPort = new HashMap<>();
    List<OvsSnapshot.Bridge> bridges = new ArrayList<>();
    for (OvsState.OvsBridge b : s.bridges()) {
      bridges.add(new OvsSnapshot.Bridge(b.name(), b.datapathType()));
      b.portUuids().forEach(p -> bridgeOfPort.put(p, b.name()));
    }
    List<OvsSnapshot.Iface> ifaces = new ArrayList<>();
    Map<String, Map<String, String>> ids = new HashMap<>();
    Map<String, String> localIps = new HashMap<>();
    for (OvsState.OvsInterface i : s.interfaces()) {
      Optional<OvsState.OvsPort> port = s.portOf(i);
      String bridge = port.map(p -> bridgeOfPort.getOrDefault(p.uuid(), "")).orElse("");
      Map<String, String> merged =
          new HashMap<>(port.map(OvsState.OvsPort::externalIds).orElse(Map.of()));
      merged.putAll(i.externalIds());
      ids.put(i.name(), merged);
      String localIp = i.options().getOrDefault("local_ip", "");
      if (!localIp.isEmpty()) {
        localIps.put(i.name(), localIp);
      }
      ifaces.add(
          new OvsSnapshot.Iface(
              i.name(),
              bridge,
              i.type(),
              (int) i.ofport().orElse(-1),
              i.error(),
              i.options().getOrDefault("remote_ip", ""),
              i.externalIds().getOrDefault("iface-id", ""),
              ""));
    }
    return new OvsSnapshot(bridges, ifaces, s.system().externalIds(), ids, localIps);
  }

  @Override
  public Optional<CniProfile> cni() {
    try {
      return Optional.of(agent.cniOf(OvsState.read(agent.ovsdb(), TIMEOUT)).profile());
    } catch (AgentException e) {
      return Optional.empty(); // no profile matches: the checks' OVN-Kubernetes defaults apply
    }
  }

  @Override
  public String unixctl(String command, List<String> args) throws AccessException {
    try {
      return agent.vswitchd().call(command, args, TIMEOUT);
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, e.getMessage(), e);
    }
  }

  @Override
  public OvnLoadBalancers ovnLoadBalancers() throws AccessException {
    OvsSnapshot snap = snapshot();
    String systemId = snap.openVswitchExternalIds().getOrDefault("system-id", "");
    if (systemId.isEmpty()) {
      throw new AccessException(
          AccessException.Kind.NOT_FOUND, "Open_vSwitch external_ids:system-id is not set");
    }
    Remote sb =
        agent
            .ovnSb()
            .or(
                () ->
                    Remote.firstSupported(
                        snap.openVswitchExternalIds().getOrDefault("ovn-remote", "")))
            .orElseThrow(
                () ->
                    new AccessException(
                        AccessException.Kind.UNAVAILABLE,
                        "no usable OVN Southbound remote (external_ids:ovn-remote / --ovn-sb)"));
    try {
      return agent.hostNetns().isEmpty()
          ? readLoadBalancers(sb, systemId)
          : agent
              .netns()
              .call(agent.hostNetns().get(), TIMEOUT, () -> readLoadBalancers(sb, systemId));
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, sb + ": " + e.getMessage(), e);
    }
  }

  private static OvnLoadBalancers readLoadBalancers(Remote sb, String systemId)
      throws AccessException {
    String db = "OVN_Southbound";
    try (OvsdbClient c = new OvsdbClient(sb)) {
      List<OvsdbRow> chassis =
          c.select(
              db,
              "Chassis",
              List.of(OvsdbCondition.eq("name", systemId)),
              List.of("name"),
              TIMEOUT);
      if (chassis.isEmpty()) {
        throw new AccessException(
            AccessException.Kind.NOT_FOUND, "no Southbound Chassis named " + systemId);
      }
      Set<String> bound = new HashSet<>();
      for (OvsdbRow r :
          c.select(
              db,
              "Port_Binding",
              List.of(OvsdbCondition.eqUuid("chassis", chassis.get(0).uuid())),
              List.of("datapath"),
              TIMEOUT)) {
        bound.addAll(r.set("datapath"));
      }
      List<OvnLoadBalancers.Patch> patches = new ArrayList<>();
      for (OvsdbRow r :
          c.select(
              db,
              "Port_Binding",
              List.of(OvsdbCondition.eq("type", "patch")),
              List.of("logical_port", "datapath", "options"),
              TIMEOUT)) {
        patches.add(
            new OvnLoadBalancers.Patch(
                r.string("logical_port"),
                String.join("", r.set("datapath")),
                r.map("options").getOrDefault("peer", "")));
      }
      Map<String, String> names = new HashMap<>();
      for (OvsdbRow r :
          c.select(db, "Datapath_Binding", List.of(), List.of("external_ids"), TIMEOUT)) {
        names.put(r.uuid(), r.map("external_ids").getOrDefault("name", r.uuid()));
      }
      Map<String, List<String>> groups = new HashMap<>();
      for (OvsdbRow r :
          c.select(db, "Logical_DP_Group", List.of(), List.of("datapaths"), TIMEOUT)) {
        groups.put(r.uuid(), r.set("datapaths"));
      }
      List<OvnLoadBalancers.Lb> lbs = new ArrayList<>();
      for (OvsdbRow r :
          c.select(
              db,
              "Load_Balancer",
              List.of(),
              List.of("name", "vips", "protocol", "datapaths", "datapath_group"),
              TIMEOUT)) {
        Set<String> dps = new TreeSet<>();
        r.set("datapaths").forEach(d -> dps.add(names.getOrDefault(d, d)));
        r.set("datapath_group")
            .forEach(
                g ->
                    groups
                        .getOrDefault(g, List.of())
                        .forEach(d -> dps.add(names.getOrDefault(d, d))));
        lbs.add(
            new OvnLoadBalancers.Lb(
                r.string("name"), String.join("", r.set("protocol")), r.map("vips"), dps));
      }
      Set<String> local = new TreeSet<>();
      OvnLoadBalancers.entryDatapaths(bound, patches)
          .forEach(d -> local.add(names.getOrDefault(d, d)));
      return new OvnLoadBalancers(local, lbs);
    }
  }
}
