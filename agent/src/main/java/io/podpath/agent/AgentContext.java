package io.podpath.agent;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.podpath.agent.cni.Cni;
import io.podpath.agent.cni.CniDetector;
import io.podpath.agent.cni.Detection;
import io.podpath.agent.exec.Command;
import io.podpath.agent.exec.CommandResult;
import io.podpath.agent.exec.CommandRunner;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.ovsdb.OvsDatabase;
import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.Remote;
import io.podpath.agent.unixctl.Unixctl;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything that talks to this node, built once by the runtime
 * (io.podpath.agent.server.AgentRuntime, or a test, through {@link #builder}) and shared by the
 * node, pod, trace and checks code.
 *
 * @param hostNetns the node's network namespace for node-level reads; empty = the agent's own
 * @param ovsdb the node's Open_vSwitch database (protocol path)
 * @param vswitchd ovs-vswitchd's unixctl (protocol path)
 * @param ovnController ovn-controller's unixctl (throws UnavailableException when it does not run)
 * @param ovnSb the --ovn-sb override; empty = read external_ids:ovn-remote
 * @param ovnNb the --ovn-nb override; empty = next to the Southbound
 * @param registry this agent's metrics (served on /metrics)
 * @param cni the agent's --cni; empty = detect the CNI from the node's OVSDB on every call
 */
public record AgentContext(
    String nodeName,
    Path ovsRundir,
    Optional<Path> hostNetns,
    CommandRunner runner,
    NetnsExecutor netns,
    OvsDatabase ovsdb,
    Unixctl vswitchd,
    Unixctl ovnController,
    Optional<Remote> ovnSb,
    Optional<Remote> ovnNb,
    IpTool ip,
    MeterRegistry registry,
    Optional<Cni> cni) {

  /**
   * A context for {@code nodeName}: no host netns (the agent's own), OVN databases found from the
   * node, the CNI detected on every call, a private metrics registry. The runtime sets every
   * channel to the node; a test sets only those its code reaches (the others fail when used, naming
   * the channel: {@link UnsetChannels}).
   */
  public static Builder builder(String nodeName, Path ovsRundir) {
    return new Builder(nodeName, ovsRundir);
  }

  /** This context, to change some of it. */
  public Builder toBuilder() {
    return builder(nodeName, ovsRundir)
        .hostNetns(hostNetns)
        .runner(runner)
        .netns(netns)
        .ovsdb(ovsdb)
        .vswitchd(vswitchd)
        .ovnController(ovnController)
        .ovnSb(ovnSb)
        .ovnNb(ovnNb)
        .ip(ip)
        .registry(registry)
        .cni(cni);
  }

  /** Named channels instead of thirteen positional ones. */
  public static final class Builder {
    private final String nodeName;
    private final Path ovsRundir;
    private Optional<Path> hostNetns = Optional.empty();
    private CommandRunner runner = UnsetChannels.RUNNER;
    private NetnsExecutor netns = UnsetChannels.NETNS;
    private OvsDatabase ovsdb = UnsetChannels.OVSDB;
    private Unixctl vswitchd = UnsetChannels.VSWITCHD;
    private Unixctl ovnController = UnsetChannels.OVN_CONTROLLER;
    private Optional<Remote> ovnSb = Optional.empty();
    private Optional<Remote> ovnNb = Optional.empty();
    private IpTool ip = UnsetChannels.IP;
    private MeterRegistry registry = new SimpleMeterRegistry();
    private Optional<Cni> cni = Optional.empty();

    private Builder(String nodeName, Path ovsRundir) {
      this.nodeName = nodeName;
      this.ovsRundir = ovsRundir;
    }

    public Builder hostNetns(Optional<Path> v) {
      hostNetns = v;
      return this;
    }

    public Builder runner(CommandRunner v) {
      runner = v;
      return this;
    }

    public Builder netns(NetnsExecutor v) {
      netns = v;
      return this;
    }

    public Builder ovsdb(OvsDatabase v) {
      ovsdb = v;
      return this;
    }

    public Builder vswitchd(Unixctl v) {
      vswitchd = v;
      return this;
    }

    public Builder ovnController(Unixctl v) {
      ovnController = v;
      return this;
    }

    public Builder ovnSb(Optional<Remote> v) {
      ovnSb = v;
      return this;
    }

    public Builder ovnNb(Optional<Remote> v) {
      ovnNb = v;
      return this;
    }

    public Builder ip(IpTool v) {
      ip = v;
      return this;
    }

    public Builder registry(MeterRegistry v) {
      registry = v;
      return this;
    }

    public Builder cni(Optional<Cni> v) {
      cni = v;
      return this;
    }

    public AgentContext build() {
      return new AgentContext(
          nodeName,
          ovsRundir,
          hostNetns,
          runner,
          netns,
          ovsdb,
          vswitchd,
          ovnController,
          ovnSb,
          ovnNb,
          ip,
          registry,
          cni);
    }
  }

  /**
   * The CNI profile for the node as this OVSDB snapshot shows it (detected each time, so a node
   * whose CNI comes up after the agent is seen as it is now).
   *
   * @throws io.podpath.agent.errors.FailedPreconditionException when no profile, or several, match
   */
  public Detection cniOf(OvsState ovs) {
    return CniDetector.detect(ovs, cni);
  }

  /** Runs a command in the node's (host) network namespace. */
  public CommandResult runOnHost(Command command) {
    return runner.run(command.inNetns(hostNetns));
  }
}
