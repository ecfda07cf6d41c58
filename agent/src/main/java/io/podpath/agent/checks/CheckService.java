package io.podpath.agent.checks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.podpath.agent.AgentContext;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.agent.errors.NotFoundException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.pod.PodIps;
import io.podpath.agent.pod.PodKey;
import io.podpath.agent.pod.PodLocator;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RunChecks and Probe inside the agent, on records: the gRPC edge validates the request, calls
 * here, and maps the answer. One per agent: it remembers counters between sweeps.
 */
public final class CheckService {
  private final String nodeName;
  private final Checks checks;
  private final AgentCheckPorts ports;
  private final ProbeRunner probes;
  private final CounterMemory memory = new CounterMemory();
  private final PodIps podIps;
  // The facts of the last RunChecks, for the agent's own schedule (CheckSchedule).
  private volatile ClusterFacts lastFacts = ClusterFacts.EMPTY;
  private final AtomicLong lastFactsNanos = new AtomicLong();
  private final AtomicInteger requestsRunning = new AtomicInteger();
  private final ProbeGate gate;

  /** The checks that ran, and the node's summary when it was asked for. */
  public record Run(List<CheckResult> results, Optional<Summary> summary) {
    public Run {
      results = List.copyOf(results);
    }
  }

  /**
   * The node facts a sweep's cluster checks need (see NodeSummaryReader); {@code error} says what
   * could not be read (the rest is then partial).
   */
  public record Summary(
      String encapIp,
      int underlayMtu,
      int podMtu,
      List<String> workingTunnelRemotes,
      int brokenTunnels,
      String error,
      int tunnelPodMtu,
      Optional<PodKey> smallMtuPod,
      int smallPodMtu) {
    public Summary {
      workingTunnelRemotes = List.copyOf(workingTunnelRemotes);
    }

    static Summary of(NodeSummaryReader.Summary s) {
      return new Summary(
          s.encapIp(),
          s.underlayMtu(),
          s.podMtu(),
          List.copyOf(s.tunnels().workingRemotes()),
          s.tunnels().broken().size(),
          s.error(),
          s.tunnelPodMtu(),
          s.smallPod().map(NodeSummaryReader.SmallPod::pod),
          s.smallPod().map(NodeSummaryReader.SmallPod::mtu).orElse(0));
    }
  }

  /** {@code gate} decides where probes may go (the agent's: {@link NodeProbeGate}). */
  public CheckService(String nodeName, Checks checks, AgentCheckPorts ports, ProbeGate gate) {
    this(nodeName, checks, ports, new PodIps(), gate);
  }

  private CheckService(
      String nodeName, Checks checks, AgentCheckPorts ports, PodIps podIps, ProbeGate gate) {
    this.podIps = podIps;
    this.gate = gate;
    this.nodeName = nodeName;
    this.checks = checks;
    this.ports = ports;
    this.probes = new ProbeRunner(ports, ports);
  }

  /**
   * The standard checks over the agent's context; pods' namespaces come from the pod locator;
   * probes go only inside the cluster or {@code scope}'s --probe-allow prefixes.
   */
  public static CheckService forAgent(AgentContext ctx, MeterRegistry registry, ProbeScope scope) {
    PodLocator locator = new PodLocator(ctx);
    PodIps ips = new PodIps();
    Counter lookups =
        Counter.builder("podpath.check.pod.netns.lookups")
            .description(
                "Pod network namespaces located and proven for the checks (a pod inspection each;"
                    + " at most one per local pod per round)")
            .register(registry);
    AgentCheckPorts ports =
        new AgentCheckPorts(
            ctx,
            pod -> {
              lookups.increment();
              return netns(locator, pod, ips);
            });
    CheckService s =
        new CheckService(
            ctx.nodeName(),
            new Checks(Checks.standard(), registry),
            ports,
            ips,
            new NodeProbeGate(ctx, scope));
    Gauge.builder("podpath.check.cluster.facts.age", s, CheckService::factsAgeSeconds)
        .description(
            "Seconds since a RunChecks last told this agent the cluster's facts (Services, peers,"
                + " local pods) its scheduled checks use; NaN = never")
        .baseUnit("seconds")
        .register(registry);
    return s;
  }

  private double factsAgeSeconds() {
    long at = lastFactsNanos.get();
    return at == 0 ? Double.NaN : (System.nanoTime() - at) / 1e9;
  }

  /**
   * Only a namespace proven to be the pod's; the locator's own errors (pod not here: NOT_FOUND;
   * OVSDB unreachable: UNAVAILABLE; namespace unproven: FAILED_PRECONDITION) reach the caller as
   * they are, never as "no network namespace". The pod's IP (from the last request's local pods) is
   * what finds it on CNIs that write no pod name into OVSDB.
   */
  private static Optional<Path> netns(PodLocator locator, PodKey pod, PodIps ips) {
    // the checks' pods are the ones the cluster puts on this node
    return Optional.of(locator.provenNetns(pod, ips.of(pod), AgentCheckPorts.TIMEOUT, true));
  }

  public String nodeName() {
    return nodeName;
  }

  /**
   * Runs the checks named (all when empty); an unknown or repeated id is INVALID_ARGUMENT on
   * check_ids.
   */
  public Run run(List<String> checkIds, ClusterFacts facts, boolean includeSummary) {
    requestsRunning.incrementAndGet();
    try {
      Run r = runChecks(checkIds, facts, includeSummary);
      lastFacts = facts;
      lastFactsNanos.set(System.nanoTime());
      return r;
    } finally {
      requestsRunning.decrementAndGet();
    }
  }

  /**
   * Every check, with the cluster facts of the last RunChecks ({@link ClusterFacts#EMPTY} before
   * the first: the checks then judge from what the node alone shows); empty when a RunChecks is
   * running, which records the same metrics.
   */
  public Optional<Run> runScheduled() {
    if (requestsRunning.get() > 0) {
      return Optional.empty();
    }
    return Optional.of(runChecks(List.of(), lastFacts, false));
  }

  private Run runChecks(List<String> checkIds, ClusterFacts facts, boolean includeSummary) {
    Set<String> seen = new HashSet<>();
    for (String id : checkIds) {
      if (!seen.add(id)) {
        // Running a check twice answers nothing new and holds the call slot twice as long.
        throw new InvalidArgumentException(
            "check_ids", "check '" + UnknownCheckException.shown(id) + "' is named more than once");
      }
    }
    podIps.replace(
        facts.localPods().stream().map(p -> new PodIps.Entry(p.pod(), p.ips())).toList());
    AgentCheckPorts run = ports.forOneRun();
    CheckContext ctx = new CheckContext(nodeName, facts, run, run, run, memory);
    List<CheckResult> results;
    try {
      results = checks.run(checkIds, ctx);
    } catch (UnknownCheckException e) {
      throw new InvalidArgumentException("check_ids", e.getMessage());
    }
    return new Run(
        results,
        includeSummary ? Optional.of(Summary.of(NodeSummaryReader.read(ctx))) : Optional.empty());
  }

  /**
   * Sends a probe from a local pod; a pod that is not here is NOT_FOUND, a destination outside the
   * cluster (and outside --probe-allow) PERMISSION_DENIED before anything is sent.
   */
  public ProbeRunner.Result probe(ProbeRunner.Probe p) {
    gate.admit(p.destination());
    try {
      return probes.probe(p);
    } catch (AccessException e) {
      if (e.kind() == AccessException.Kind.NOT_FOUND) {
        throw new NotFoundException(
            (p.fromNode() ? "" : "pod ") + p.from() + ": " + e.getMessage());
      }
      throw new UnavailableException((p.fromNode() ? "" : "pod ") + p.from(), e.getMessage(), e);
    }
  }
}
