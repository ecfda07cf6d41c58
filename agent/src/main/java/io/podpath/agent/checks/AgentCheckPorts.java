package io.podpath.agent.checks;

import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsdbClient;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

  private Path netnsOf(PodKey pod) throws AccessException {
    return podNetns
        .apply(pod)
        .orElseThrow(
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
    for (OvsState.OvsInterface i : s.interfaces()) {
      String bridge = s.portOf(i).map(p -> bridgeOfPort.getOrDefault(p.uuid(), "")).orElse("");
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
    return new OvsSnapshot(bridges, ifaces, s.system().externalIds());
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
  public Set<String> southboundLoadBalancerVips() throws AccessException {
    Remote sb =
        agent
            .ovnSb()
            .or(
                () -> {
                  try {
                    return Remote.firstSupported(
                        snapshot().openVswitchExternalIds().getOrDefault("ovn-remote", ""));
                  } catch (AccessException e) {
                    return Optional.empty();
                  }
                })
            .orElseThrow(
                () ->
                    new AccessException(
                        AccessException.Kind.UNAVAILABLE,
                        "no usable OVN Southbound remote (external_ids:ovn-remote / --ovn-sb)"));
    try {
      List<OvsdbRow> rows =
          agent.hostNetns().isEmpty()
              ? selectVips(sb)
              : agent.netns().call(agent.hostNetns().get(), TIMEOUT, () -> selectVips(sb));
      Set<String> out = new LinkedHashSet<>();
      rows.forEach(r -> out.addAll(r.map("vips").keySet()));
      return out;
    } catch (AgentException e) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, sb + ": " + e.getMessage(), e);
    }
  }

  private static List<OvsdbRow> selectVips(Remote sb) {
    try (OvsdbClient c = new OvsdbClient(sb)) {
      return c.select("OVN_Southbound", "Load_Balancer", List.of(), List.of("vips"), TIMEOUT);
    }
  }
}
