package io.podpath.agent;

import io.micrometer.core.instrument.MeterRegistry;
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
 * (io.podpath.agent.server.AgentRuntime, or a test) and shared by the node, pod, trace and checks
 * code.
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

  /** Detects the CNI on every call (no --cni). */
  public AgentContext(
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
      MeterRegistry registry) {
    this(
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
        Optional.empty());
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
