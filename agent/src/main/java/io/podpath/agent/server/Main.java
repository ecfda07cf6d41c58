package io.podpath.agent.server;

import io.podpath.agent.cni.Cni;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.ip.IpPrefix;
import io.podpath.common.BuildVersion;
import io.podpath.common.DurationText;
import io.podpath.proto.grpc.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The agent's entry point: parses flags and wires {@link AgentRuntime}; nothing else. */
@Command(
    name = "podpath-agent",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "podpath node agent: OVS/OVN and kernel facts of this node over gRPC (mTLS).")
public final class Main implements Callable<Integer> {

  @Spec CommandSpec spec;

  @SuppressWarnings("NullAway.Init") // required = true: picocli sets it before call() runs
  @Option(names = "--node-name", required = true, description = "This node's Kubernetes name.")
  String nodeName;

  @Option(
      names = "--ovs-rundir",
      description = "Where db.sock and ovs-vswitchd.<pid>.ctl are (default: ${DEFAULT-VALUE}).")
  Path ovsRundir = Path.of("/var/run/openvswitch");

  @Option(
      names = "--ovn-sb",
      description =
          "OVN Southbound DB remote, unix:PATH or tcp:IP:PORT "
              + "(default: Open_vSwitch external_ids:ovn-remote).")
  @Nullable String ovnSb;

  @Option(
      names = "--ovn-nb",
      description =
          "OVN Northbound DB remote, unix:PATH or tcp:IP:PORT, read to name the NetworkPolicy"
              + " behind an ACL (default: next to the Southbound: port 6641, or ovnnb_db.sock"
              + " beside ovnsb_db.sock).")
  @Nullable String ovnNb;

  @Option(
      names = "--listen",
      description = "gRPC listen address IP:PORT (default: ${DEFAULT-VALUE}).")
  String listen = "0.0.0.0:9443";

  @Option(
      names = "--metrics-listen",
      description = "HTTP /metrics /healthz /readyz address IP:PORT (default: ${DEFAULT-VALUE}).")
  String metricsListen = "0.0.0.0:9444";

  @Option(names = "--tls-cert", description = "PEM certificate of this agent.")
  @Nullable Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key of this agent.")
  @Nullable Path tlsKey;

  @Option(names = "--tls-ca", description = "PEM CA that client certificates must chain to.")
  @Nullable Path tlsCa;

  @Option(
      names = "--tls-client-name",
      description =
          "Accept only client certificates that name this identity (DNS SAN or CN), "
              + "e.g. podpath-aggregator. Default: any certificate signed by --tls-ca.")
  @Nullable String tlsClientName;

  @Option(
      names = "--plaintext",
      description = "Serve gRPC without TLS. For local development only; never a default.")
  boolean plaintext;

  @Option(
      names = "--host-netns",
      description =
          "Network namespace (path) of the node for node-level reads "
              + "(default: the agent's own).")
  @Nullable Path hostNetns;

  @Option(
      names = "--cni",
      paramLabel = "NAME",
      description =
          "The node's CNI: auto (default: detected from the node's OVS bridges, ports and "
              + "external_ids), ovn-kubernetes, openshift-sdn, aci, antrea or kube-ovn.")
  String cni = "auto";

  @Option(
      names = "--check-interval",
      paramLabel = "DURATION",
      converter = DurationFlag.class,
      description =
          "Also run every node check this often on the agent's own schedule (jittered ±10%%; e.g."
              + " 5m) and export the results on /metrics (podpath_check_status, podpath_check_info),"
              + " so Prometheus watches the node without an aggregator sweep. 0 (default) = only"
              + " when an aggregator asks.")
  Duration checkInterval = Duration.ZERO;

  @Option(
      names = "--probe-allow",
      paramLabel = "CIDR",
      description =
          "Also let probes and live traces send to this IPv4/IPv6 prefix (repeatable), e.g."
              + " 203.0.113.0/24. By default they go only inside the cluster as this node sees"
              + " it: addresses it routes by a cluster-side OVS port of the CNI's pod bridge, its"
              + " own addresses, its tunnel peers and its pods; anything else is PERMISSION_DENIED.")
  List<String> probeAllow = new ArrayList<>();

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description =
          "error, warn, info (default), debug or trace; debug also shows the libraries' logs.")
  AgentLogging.Level logLevel = AgentLogging.Level.info;

  @Override
  public Integer call() throws Exception {
    // Before the first logger is made: slf4j-simple reads its settings once.
    AgentLogging.configure(logLevel);
    Optional<Cni> chosenCni = cniChoice();
    Optional<AgentOptions.TlsFiles> tls = Optional.empty();
    if (!plaintext) {
      if (tlsCert == null || tlsKey == null || tlsCa == null) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--tls-cert, --tls-key and --tls-ca are required "
                + "(or --plaintext for local development)");
      }
      tls =
          Optional.of(
              new AgentOptions.TlsFiles(
                  tlsCert, tlsKey, tlsCa, Optional.ofNullable(tlsClientName)));
    }
    AgentOptions o =
        AgentOptions.builder(nodeName, ovsRundir)
            .ovnSb(Optional.ofNullable(ovnSb))
            .ovnNb(Optional.ofNullable(ovnNb))
            .listen(HostPort.parseIp(listen))
            .metricsListen(HostPort.parseIp(metricsListen))
            .tls(tls)
            .hostNetns(Optional.ofNullable(hostNetns))
            .cni(chosenCni)
            .checkInterval(checkInterval)
            .probeAllow(probeAllowPrefixes())
            .build();
    AgentRuntime agent = AgentRuntime.start(o);
    AgentLogging.started(o, BuildVersion.get());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  AgentLogging.stopping();
                  agent.close();
                },
                "shutdown"));
    agent.awaitTermination();
    return 0;
  }

  /** --cni: auto → detect on the node; else the named profile (a bad name is a usage error). */
  private Optional<Cni> cniChoice() {
    if ("auto".equalsIgnoreCase(cni.strip())) {
      return Optional.empty();
    }
    try {
      return Optional.of(Cni.parse(cni));
    } catch (InvalidArgumentException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--cni: unknown CNI '"
              + cni
              + "'; use auto, "
              + String.join(", ", Arrays.stream(Cni.values()).map(Cni::flagName).toList()));
    }
  }

  /** "500ms", "30s", "5m", "1h" or "0", as the aggregator's flags take them. */
  static final class DurationFlag implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return DurationText.parse(value);
    }
  }

  /** --probe-allow, each a valid prefix (a bad one is a usage error naming it). */
  private List<IpPrefix> probeAllowPrefixes() {
    List<IpPrefix> out = new ArrayList<>();
    for (String p : probeAllow) {
      try {
        out.add(IpPrefix.parse(p));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--probe-allow: " + e.getMessage());
      }
    }
    return out;
  }

  /** "podpath-agent 0.2.0" from the Maven build. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"podpath-agent " + BuildVersion.get()};
    }
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    System.exit(cl.execute(args));
  }
}
