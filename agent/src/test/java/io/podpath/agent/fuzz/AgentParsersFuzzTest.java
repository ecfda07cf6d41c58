package io.podpath.agent.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.checks.parse.ConntrackStat;
import io.podpath.agent.checks.parse.DpctlConntrack;
import io.podpath.agent.checks.parse.Ethtool;
import io.podpath.agent.checks.parse.KubeProxyNft;
import io.podpath.agent.checks.parse.KubeProxyRules;
import io.podpath.agent.checks.parse.ParseException;
import io.podpath.agent.checks.parse.PingOutput;
import io.podpath.agent.errors.AgentException;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ovsdb.OvsdbValues;
import io.podpath.agent.trace.DatapathActionsParser;
import io.podpath.agent.trace.DpifPorts;
import io.podpath.agent.trace.ParsedTrace;
import io.podpath.agent.trace.TraceOutputParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every parser of tool output, fed mutations of the outputs recorded from the real tools (and
 * random text): it returns, or throws its own typed exception — never anything else — within a time
 * bound, and what it returns is bounded by what it read. Tries: jqwik.tries.default
 * (junit-platform.properties; {@code make fuzz} raises it).
 */
class AgentParsersFuzzTest {
  static final Duration LIMIT = Duration.ofSeconds(5);

  /** Runs and checks the outcome: a result, or one of the allowed exception types. */
  static <T> T outcome(String input, Mutants.Parser<T> p, List<Class<?>> allowed) throws Throwable {
    try {
      return Mutants.bounded(input, p, LIMIT);
    } catch (AssertionError e) {
      throw e;
    } catch (Throwable t) {
      for (Class<?> c : allowed) {
        if (c.isInstance(t)) {
          return null;
        }
      }
      throw new AssertionError(
          "parser threw " + t + " (allowed: " + allowed + ") on input: " + preview(input), t);
    }
  }

  static String preview(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…(" + s.length() + " chars)" : s;
  }

  static final List<Class<?>> TOTAL = List.of();
  static final List<Class<?>> PARSE = List.of(ParseException.class);
  static final List<Class<?>> AGENT = List.of(AgentException.class);

  static void bounded(String input, Collection<?> out) {
    if (out != null) {
      assertThat(out.size()).isLessThanOrEqualTo(input.length() + 1);
    }
  }

  static void bounded(String input, Map<?, ?> out) {
    if (out != null) {
      assertThat(out.size()).isLessThanOrEqualTo(input.length() + 1);
    }
  }

  // ofproto/trace text and its datapath actions

  @Provide
  Arbitrary<String> traces() {
    return Mutants.of(Mutants.seeds("trace", "*.txt"));
  }

  @Property
  void ofprotoTraceParserIsTotal(@ForAll("traces") String text) throws Throwable {
    ParsedTrace t = outcome(text, TraceOutputParser::parse, TOTAL);
    assertThat(t).isNotNull();
    assertThat(t.steps().size()).isLessThanOrEqualTo(text.split("\n", -1).length);
    assertThat(t.passes().size()).isLessThanOrEqualTo(text.split("\n", -1).length + 1);
  }

  @Property
  void datapathActionsParserIsTotal(@ForAll("traces") String text) throws Throwable {
    for (String line : text.split("\n")) {
      int i = line.indexOf("Datapath actions:");
      String actions = i < 0 ? line : line.substring(i + "Datapath actions:".length());
      bounded(actions, outcome(actions, DatapathActionsParser::parse, TOTAL));
    }
  }

  @Property
  void dpifShowParser(@ForAll("dpif") String text) throws Throwable {
    DpifPorts p = outcome(text, DpifPorts::parse, AGENT);
    assertThat(p == null || p.toString().length() <= 4 * text.length() + 200).isTrue();
  }

  @Provide
  Arbitrary<String> dpif() {
    return Mutants.of(Mutants.seeds("trace", "dpif-show-*.txt"));
  }

  // ip -j, ethtool -S

  @Provide
  Arbitrary<String> ipJson() {
    List<String> seeds = new ArrayList<>(Mutants.seeds("agent-core", "*ip-*.json"));
    seeds.addAll(Mutants.seeds("agent-core", "*netns*.json"));
    seeds.addAll(Mutants.seeds("checks", "ip-*.json"));
    return Mutants.of(seeds);
  }

  @Property
  void ipJsonParsers(@ForAll("ipJson") String json) throws Throwable {
    bounded(json, outcome(json, IpJson::links, AGENT));
    bounded(json, outcome(json, IpJson::routes, AGENT));
    bounded(json, outcome(json, IpJson::nsids, AGENT));
    outcome(json, IpJson::routeGet, AGENT);
  }

  @Provide
  Arbitrary<String> ethtool() {
    List<String> seeds = new ArrayList<>(Mutants.seeds("checks", "ethtool-*.txt"));
    seeds.addAll(Mutants.seeds("agent-core", "*ethtool*.txt"));
    return Mutants.of(seeds);
  }

  @Property
  void ethtoolParsers(@ForAll("ethtool") String text) throws Throwable {
    bounded(text, outcome(text, IpJson::ethtoolStats, TOTAL));
    outcome(text, Ethtool::linkDetected, TOTAL);
  }

  // conntrack: /proc/net/stat/nf_conntrack, dpctl/ct-stats-show, dpctl/ct-get-maxconns

  @Provide
  Arbitrary<String> conntrack() {
    List<String> seeds = new ArrayList<>(Mutants.seeds("checks", "proc-net-stat-*.txt"));
    seeds.addAll(Mutants.seeds("checks", "dpctl-*.txt"));
    seeds.addAll(Mutants.seeds("checks", "nf_conntrack_*.txt"));
    return Mutants.of(seeds);
  }

  @Property
  void conntrackParsers(@ForAll("conntrack") String text) throws Throwable {
    outcome(text, ConntrackStat::parse, PARSE);
    outcome(text, DpctlConntrack::total, TOTAL);
    outcome(text, DpctlConntrack::maxConns, PARSE);
  }

  // iptables-save, ipvsadm, ping

  @Provide
  Arbitrary<String> kubeProxy() {
    List<String> seeds = new ArrayList<>(Mutants.seeds("checks", "iptables-save-*.txt"));
    seeds.addAll(Mutants.seeds("checks", "ipvsadm-*.txt"));
    seeds.add(
        """
        IP Virtual Server version 1.2.1 (size=4096)
        Prot LocalAddress:Port Scheduler Flags
          -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
        TCP  10.96.0.10:80 rr
          -> 10.244.1.3:80                Masq    1      0          0
        UDP  10.96.0.10:53 rr
          -> 10.244.1.3:53                Masq    1      0          0
        """);
    return Mutants.of(seeds);
  }

  @Property
  void kubeProxyParsers(@ForAll("kubeProxy") String text) throws Throwable {
    bounded(text, outcome(text, KubeProxyRules::iptablesPortals, TOTAL));
    bounded(text, outcome(text, KubeProxyRules::ipvsPortals, TOTAL));
    outcome(text, KubeProxyRules::hasKubeServicesChain, TOTAL);
    outcome(text, s -> KubeProxyRules.ipvsAbsent(2, s), TOTAL);
  }

  @Provide
  Arbitrary<String> nftJson() {
    return Mutants.of(Mutants.seeds("checks/kubeproxy-nft", "*.json"));
  }

  @Property
  void kubeProxyNftParser(@ForAll("nftJson") String json) throws Throwable {
    KubeProxyNft.Table t = outcome(json, KubeProxyNft::parse, PARSE);
    if (t != null) {
      bounded(json, t.backends());
      t.backends().values().forEach(b -> bounded(json, b));
    }
    outcome(json, s -> KubeProxyNft.tableAbsent(1, s), TOTAL);
  }

  @Provide
  Arbitrary<String> ping() {
    return Mutants.of(Mutants.seeds("checks", "ping-*.txt"));
  }

  @Property
  void pingParser(@ForAll("ping") String text) throws Throwable {
    outcome(text, PingOutput::parse, PARSE);
  }

  // OVSDB JSON value notation (RFC 7047 5.1) in recorded rows

  static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<String> ovsdbJson() {
    List<String> seeds = new ArrayList<>(Mutants.seeds("agent-core", "*.json"));
    seeds.addAll(Mutants.seeds("trace", "*.json"));
    return Mutants.of(seeds);
  }

  @Property
  void ovsdbValueDecoders(@ForAll("ovsdbJson") String text) throws Throwable {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (Exception notJson) {
      return; // Jackson's own failure: the callers map it (see JsonRpcConnection)
    }
    if (root == null) {
      return;
    }
    List<JsonNode> nodes = new ArrayList<>();
    collect(root, nodes, 0);
    for (JsonNode n : nodes) {
      outcome(text, s -> OvsdbValues.atom(n), AGENT);
      outcome(text, s -> OvsdbValues.set(n), AGENT);
      outcome(text, s -> OvsdbValues.stringSet(n), AGENT);
      Map<String, String> m = outcome(text, s -> OvsdbValues.map(n), AGENT);
      bounded(text, m);
    }
  }

  private static void collect(JsonNode n, List<JsonNode> out, int depth) {
    if (out.size() > 200 || depth > 6) {
      return;
    }
    out.add(n);
    n.forEach(c -> collect(c, out, depth + 1));
  }
}
