package io.podpath.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Handle on a running sandbox brought up by {@code hack/sandbox}: real OVS/OVN nodes and pods in
 * network namespaces. Every operation runs the script (or {@code ip netns exec}) with an argv list,
 * a timeout and captured output.
 */
public final class Sandbox implements AutoCloseable {
  /** NodePorts of svc default/web while {@code hack/sandbox nodeport on}. */
  public static final int NODEPORT_TCP = 30080;

  public static final int NODEPORT_UDP = 30053;

  private static final Duration UP_TIMEOUT = Duration.ofMinutes(4);
  private static final Duration OP_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern READY = Pattern.compile("network ready in ([0-9.]+) s");

  private final SandboxSpec spec;
  private final Path root;
  private final Map<String, String> env;
  private final IndexClaim claim;
  private final Thread shutdownHook;
  private final double bringUpSeconds;
  private SandboxInfo info;
  private boolean down;

  private Sandbox(SandboxSpec spec, Path root, IndexClaim claim, double bringUpSeconds) {
    this.spec = spec;
    this.root = root;
    this.claim = claim;
    this.bringUpSeconds = bringUpSeconds;
    this.env = scriptEnv(spec);
    this.shutdownHook = new Thread(this::downQuietly, "sandbox-" + spec.prefix() + "-down");
  }

  /** Brings a sandbox up; on any failure tears down what was built and throws. */
  public static Sandbox up(SandboxSpec requested) {
    Path root = RepoRoot.locate();
    IndexClaim claim;
    SandboxSpec spec;
    if (requested.prefix().isEmpty()) {
      claim = IndexClaim.claimFree();
      spec = requested.withName("t" + claim.index(), claim.index());
    } else {
      spec = requested.withName(requested.prefix(), Math.max(requested.index(), 0));
      claim = IndexClaim.claimPrefix(spec.prefix(), spec.index());
    }
    Map<String, String> env = scriptEnv(spec);
    ExecResult r;
    try { // we hold the name's lock: whatever exists under it is a dead run's leftover
      r = runUp(root, spec, env);
    } catch (SandboxException e) {
      runDown(root, env);
      release(claim);
      throw e;
    }
    Matcher m = READY.matcher(r.stdout());
    Sandbox sb = new Sandbox(spec, root, claim, m.find() ? Double.parseDouble(m.group(1)) : -1);
    Runtime.getRuntime().addShutdownHook(sb.shutdownHook);
    try {
      sb.reload();
    } catch (RuntimeException e) {
      sb.down();
      throw e;
    }
    return sb;
  }

  /**
   * The same spec down and up again under the same name, after an OVS/OVN daemon died: names,
   * addresses and ports come back the same (the scripts are deterministic); TLS and agents are new.
   */
  public synchronized void rebuild() {
    runUp(root, spec, env);
    reload();
  }

  private static ExecResult runUp(Path root, SandboxSpec spec, Map<String, String> env) {
    runDown(root, env);
    List<String> argv = new ArrayList<>(List.of(root.resolve("hack/sandbox").toString(), "up"));
    argv.addAll(spec.upFlags());
    ExecResult r = ProcessRunner.run(argv, env, UP_TIMEOUT);
    if (!r.ok()) {
      throw new SandboxException(
          "hack/sandbox up failed (exit " + r.exitCode() + "):\n" + r.stderr() + r.stdout());
    }
    return r;
  }

  private static Map<String, String> scriptEnv(SandboxSpec spec) {
    Map<String, String> e = new HashMap<>();
    e.put("PODPATH_SANDBOX_PREFIX", spec.prefix());
    e.put("PODPATH_SANDBOX_INDEX", Integer.toString(Math.max(spec.index(), 0)));
    e.put("PODPATH_SANDBOX_DIR", "/run/podpath-sandbox/" + spec.prefix());
    // daemons' logs outlive the sandbox (in the module's target/), to read a node that died mid-run
    e.put(
        "PODPATH_SANDBOX_KEEP_LOGS",
        Path.of("target", "sandbox-logs", spec.prefix()).toAbsolutePath().toString());
    return e;
  }

  /** Tears everything down (idempotent); also runs from a JVM shutdown hook if a test run dies. */
  public synchronized void down() {
    if (down) {
      return;
    }
    try {
      ExecResult r = runDown(root, env);
      if (!r.ok()) {
        throw new SandboxException("hack/sandbox down failed: " + r.stderr() + r.stdout());
      }
      down = true;
      List<String> left = Leftovers.find(spec.prefix(), stateDir());
      if (!left.isEmpty()) {
        throw new SandboxException("sandbox " + spec.prefix() + " left behind: " + left);
      }
    } finally {
      release(claim);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // already shutting down: this is the hook itself
      }
    }
  }

  @Override
  public void close() {
    down();
  }

  private void downQuietly() {
    try {
      down();
    } catch (RuntimeException e) {
      System.err.println("sandbox down failed: " + e.getMessage());
    }
  }

  private static ExecResult runDown(Path root, Map<String, String> env) {
    return ProcessRunner.run(
        List.of(root.resolve("hack/sandbox").toString(), "down"), env, OP_TIMEOUT);
  }

  private static void release(IndexClaim claim) {
    Optional.ofNullable(claim).ifPresent(IndexClaim::close);
  }

  /** Re-reads sandbox.json (after policies or pods change). */
  public void reload() {
    info = SandboxInfo.read(stateDir().resolve("sandbox.json"));
  }

  public SandboxSpec spec() {
    return spec;
  }

  public String prefix() {
    return spec.prefix();
  }

  public int index() {
    return spec.index();
  }

  public Mode mode() {
    return spec.mode();
  }

  /** Seconds the network took to come up (nodes, pods, OVN ready), as the script measured it. */
  public double bringUpSeconds() {
    return bringUpSeconds;
  }

  public Path stateDir() {
    return Path.of(env.get("PODPATH_SANDBOX_DIR"));
  }

  public Path manifest() {
    return stateDir().resolve("cluster.yaml");
  }

  public Path tlsDir() {
    return stateDir().resolve("tls");
  }

  /** 127.0.0.1:(7400+index), where the aggregator listens when its jar exists. */
  public String aggregatorAddress() {
    return "127.0.0.1:" + (7400 + spec.index());
  }

  /**
   * host:port of the node's agent (started by {@code up} when agent/target/podpath-agent.jar
   * exists).
   */
  public String agentAddress(String node) {
    return nodeIp(node) + ":9443";
  }

  /** Whether {@code up} started agents (their pidfiles exist). */
  public boolean agentsStarted() {
    return Files.exists(stateDir().resolve("apps/agent-node1.pid"));
  }

  /**
   * What {@code hack/sandbox env} exports: PODPATH_SANDBOX_DIR, PODPATH_MANIFEST,
   * PODPATH_AGGREGATOR...
   */
  public Map<String, String> env() {
    Map<String, String> m = new HashMap<>(env);
    m.put("PODPATH_MANIFEST", manifest().toString());
    m.put("PODPATH_AGGREGATOR", aggregatorAddress());
    m.put("PODPATH_AGGREGATOR_HTTP", "127.0.0.1:" + (7500 + spec.index()));
    m.put("PODPATH_TLS_DIR", tlsDir().toString());
    return m;
  }

  public List<Node> nodes() {
    return info.nodes().stream().map(SandboxInfo.NodeInfo::toNode).toList();
  }

  public List<Pod> pods() {
    return info.pods().stream().map(SandboxInfo.PodInfo::toPod).toList();
  }

  public Node node(String name) {
    return nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new SandboxException("no node " + name));
  }

  /** A pod by {@code namespace/name}. */
  public Pod pod(String ref) {
    return pods().stream()
        .filter(p -> p.ref().equals(ref))
        .findFirst()
        .orElseThrow(() -> new SandboxException("no pod " + ref));
  }

  public String nodeIp(String node) {
    return node(node).ip();
  }

  public Path ovsRundir(String node) {
    return node(node).ovsRundir();
  }

  public String netns(String node) {
    return node(node).netns();
  }

  public String externalIp() {
    return info.externalIp();
  }

  public String serviceIp() {
    return info.serviceIp();
  }

  /** The Service's ClusterIP of {@code family} (4 or 6; both on a dual-stack sandbox). */
  public String serviceIp(int family) {
    return SandboxInfo.ofFamily(info.serviceIps(), info.serviceIp(), family, "Service");
  }

  /** The external host's address of {@code family} (IPv6 on an IPv6 sandbox's underlay). */
  public String externalIp(int family) {
    return SandboxInfo.ofFamily(info.externalIps(), info.externalIp(), family, "external host");
  }

  public Optional<Path> ovnNbSocket() {
    return Optional.ofNullable(info.ovnNbSocket()).map(Path::of);
  }

  public Optional<Path> ovnSbSocket() {
    return Optional.ofNullable(info.ovnSbSocket()).map(Path::of);
  }

  /**
   * Sends a real probe from pod {@code src} ({@code ns/pod}) to {@code dst}: {@code ns/pod}, {@code
   * svc/ns/name}, {@code ext} or an address of this sandbox.
   */
  public ProbeResult probe(String src, String dst, Probe probe) {
    List<String> argv = script("probe", src, dst);
    argv.addAll(probe.cliArgs());
    ExecResult r = ProcessRunner.run(argv, env, OP_TIMEOUT);
    if (r.exitCode() > 1) {
      throw new SandboxException("probe " + src + " -> " + dst + " could not run: " + r.stderr());
    }
    return ProbeResult.parse(r.exitCode(), r.stdout());
  }

  public void breakFault(Fault fault, String node) {
    check(script("break", fault.cliName(), node));
  }

  public void fix(Fault fault, String node) {
    check(script("fix", fault.cliName(), node));
  }

  /** A fault narrowed to one destination address ({@code --dst}: fw-drop, fw-reject, route). */
  public void breakFault(Fault fault, String node, String dstIp) {
    check(script("break", fault.cliName(), node, "--dst", dstIp));
  }

  public void fix(Fault fault, String node, String dstIp) {
    check(script("fix", fault.cliName(), node, "--dst", dstIp));
  }

  /**
   * NodePort for svc default/web on every node (tcp {@value #NODEPORT_TCP}, udp {@value
   * #NODEPORT_UDP}); the manifest's Service becomes type NodePort. Call {@link #reload()} after.
   */
  public void nodePort(boolean on) {
    check(script("nodeport", on ? "on" : "off"));
  }

  /** {@code hack/sandbox ingress on|off} (hack/lib/sb-ingress.sh), then {@link #reload()}. */
  public void ingress(boolean on) {
    check(script("ingress", on ? "on" : "off"));
    reload();
  }

  /** While ingress is on: svc default/web's ExternalIP, then its load balancer address. */
  public List<String> ingressAddresses() {
    return info.ingressAddresses() == null ? List.of() : info.ingressAddresses();
  }

  /** A NetworkPolicy denying all ingress to {@code ns/pod}, realised as OVN-Kubernetes does. */
  public void policyDenyIngress(String podRef) {
    check(script("policy", "deny-ingress", podRef));
    reload();
  }

  public void clearPolicies() {
    check(script("policy", "clear"));
    reload();
  }

  /**
   * Runs argv inside a netns: {@code target} is a node name, a pod {@code ns/name}, {@code ext},
   * {@code central}, {@code fabric}, or a netns name of this sandbox.
   */
  public ExecResult exec(String target, String... argv) {
    return exec(OP_TIMEOUT, target, argv);
  }

  public ExecResult exec(Duration timeout, String target, String... argv) {
    String ns = resolveNetns(target);
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
    full.addAll(List.of(argv));
    return ProcessRunner.run(full, Map.of(), timeout);
  }

  /** Runs hack/sandbox with this sandbox's environment. */
  public ExecResult script(Duration timeout, String... args) {
    return ProcessRunner.run(script(args), env, timeout);
  }

  private String resolveNetns(String target) {
    return info.netnsOf(target)
        .orElseThrow(
            () ->
                new SandboxException("unknown exec target " + target + " in sandbox " + prefix()));
  }

  private List<String> script(String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(root.resolve("hack/sandbox").toString());
    argv.addAll(List.of(args));
    return argv;
  }

  private void check(List<String> argv) {
    ExecResult r = ProcessRunner.run(argv, env, OP_TIMEOUT);
    if (!r.ok()) {
      throw new SandboxException(
          String.join(" ", argv.subList(1, argv.size()))
              + " failed (exit "
              + r.exitCode()
              + "): "
              + r.stderr());
    }
  }
}
