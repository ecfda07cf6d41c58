package io.podpath.aggregator.render;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.podpath.proto.v1.KernelHop;
import io.podpath.proto.v1.KernelRuleHit;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodStack;
import io.podpath.proto.v1.SizeCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The facts beyond OVS a hop's verdict rests on — the node kernel's part (route, sysctls, the
 * netfilter rules met, NAT), every size check, conntrack fill and the pod stacks at the ends — in
 * the same words for text, JSON/YAML and DOT, so a user sees why a hop passed, not only why one
 * failed.
 */
final class HopFacts {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private HopFacts() {}

  /** One line per fact, in path order: pod stacks, size checks, the kernel hop, conntrack. */
  static List<String> lines(NodeTrace t) {
    List<String> out = new ArrayList<>();
    for (PodStack p : t.getPodStacksList()) {
      out.add(pod(p));
      if (!p.getBlocks().isEmpty()) {
        out.add("  blocks: " + p.getBlocks());
      }
      if (p.hasNetfilter()) {
        p.getNetfilter().getRulesList().forEach(r -> out.add("  pod rule " + rule(r)));
      }
    }
    for (SizeCheck s : t.getSizeChecksList()) {
      out.add("size " + size(s));
    }
    if (t.hasKernel()) {
      KernelHop k = t.getKernel();
      out.add("kernel " + kernel(k));
      k.getFactsList().forEach(f -> out.add("  fact " + f));
      k.getNatList().forEach(n -> out.add("  nat " + n));
      k.getRulesList().forEach(r -> out.add("  rule " + rule(r)));
    }
    t.getConntrackList()
        .forEach(
            c ->
                out.add(
                    "conntrack "
                        + c.getTable()
                        + " "
                        + c.getCount()
                        + "/"
                        + c.getMax()
                        + (c.getFull() ? " FULL" : "")));
    t.getConntrackEntriesList().forEach(e -> out.add("ct entry " + e));
    return out;
  }

  /** The few facts that fit a graph node's label: sizes that do not fit and the kernel's result. */
  static List<String> brief(NodeTrace t) {
    List<String> out = new ArrayList<>();
    t.getSizeChecksList().stream().filter(s -> !s.getFits()).forEach(s -> out.add(size(s)));
    if (t.hasKernel()) {
      out.add("kernel " + kernel(t.getKernel()));
    }
    t.getPodStacksList().stream()
        .filter(p -> !p.getBlocks().isEmpty())
        .forEach(p -> out.add(p.getBlocks()));
    return out;
  }

  /** Adds {@code podStacks}, {@code sizeChecks} and {@code kernel} to a node of the JSON. */
  static void json(ObjectNode n, NodeTrace t) {
    if (t.getPodStacksCount() > 0) {
      ArrayNode a = n.putArray("podStacks");
      t.getPodStacksList().forEach(p -> a.add(pod(p, F.objectNode())));
    }
    if (t.getSizeChecksCount() > 0) {
      ArrayNode a = n.putArray("sizeChecks");
      for (SizeCheck s : t.getSizeChecksList()) {
        a.addObject()
            .put("where", s.getWhere())
            .put("size", s.getSize())
            .put("overhead", s.getOverhead())
            .put("mtu", s.getMtu())
            .put("fits", s.getFits())
            .put("text", size(s));
      }
    }
    if (t.hasKernel()) {
      n.set("kernel", kernel(t.getKernel(), F.objectNode()));
    }
  }

  static String size(SizeCheck s) {
    if (!s.getText().isEmpty()) {
      return s.getText();
    }
    String sum = s.getOverhead() > 0 ? s.getSize() + " + " + s.getOverhead() : "" + s.getSize();
    return sum + (s.getFits() ? " <= " : " > ") + s.getMtu() + " at " + s.getWhere();
  }

  static String kernel(KernelHop k) {
    StringBuilder b = new StringBuilder(result(k));
    if (!k.getEnteredBy().isEmpty()) {
      b.append(" (in by ").append(k.getEnteredBy()).append(')');
    }
    if (!k.getDevice().isEmpty()) {
      b.append(" out ").append(k.getDevice());
      if (!k.getGateway().isEmpty()) {
        b.append(" via ").append(k.getGateway());
      }
    }
    if (k.getResult() == KernelHop.Result.RESULT_BACK_TO_OVS && !k.getOvsBridge().isEmpty()) {
      b.append(" = ").append(k.getOvsBridge()).append(" port ").append(k.getOfport());
    }
    if (!k.getCause().isEmpty()) {
      b.append(": ").append(k.getCause());
    }
    return b.toString();
  }

  private static String result(KernelHop k) {
    return k.getResult().name().replace("RESULT_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String rule(KernelRuleHit r) {
    String where = r.getTable() + "/" + r.getChain();
    String pos = r.getNumber() == 0 ? " policy" : " #" + r.getNumber();
    String text = r.getRule().isEmpty() ? "" : ": " + r.getRule();
    String note = r.getNote().isEmpty() ? "" : " (" + r.getNote() + ")";
    return where + pos + " " + r.getVerdict() + text + note;
  }

  static String pod(PodStack p) {
    StringBuilder b =
        new StringBuilder("pod ")
            .append(p.getPod().getNamespace())
            .append('/')
            .append(p.getPod().getName())
            .append(": eth0 ")
            .append(p.getLinkUp() ? "up" : "DOWN");
    if (!p.getOvsLinkState().isEmpty()) {
      b.append(" (OVS port ").append(p.getOvsLinkState()).append(')');
    }
    if (p.getMtu() > 0) {
      b.append(", mtu ").append(p.getMtu());
    }
    if (!p.getRoute().isEmpty()) {
      b.append(", route ").append(p.getRoute());
    }
    if (!p.getNeighbour().isEmpty()) {
      b.append(", neighbour ").append(p.getNeighbour());
    }
    return b.toString();
  }

  private static ObjectNode pod(PodStack p, ObjectNode n) {
    n.put("pod", p.getPod().getNamespace() + "/" + p.getPod().getName());
    n.put("linkUp", p.getLinkUp());
    putIf(n, "ovsLinkState", p.getOvsLinkState());
    if (p.getMtu() > 0) {
      n.put("mtu", p.getMtu());
    }
    ArrayNode addrs = n.putArray("addresses");
    p.getAddressesList().forEach(addrs::add);
    putIf(n, "route", p.getRoute());
    putIf(n, "neighbour", p.getNeighbour());
    putIf(n, "blocks", p.getBlocks());
    if (p.hasNetfilter()) {
      n.set("netfilter", kernel(p.getNetfilter(), F.objectNode()));
    }
    return n;
  }

  private static ObjectNode kernel(KernelHop k, ObjectNode n) {
    n.put("result", result(k));
    putIf(n, "enteredBy", k.getEnteredBy());
    putIf(n, "device", k.getDevice());
    putIf(n, "gateway", k.getGateway());
    putIf(n, "ovsBridge", k.getOvsBridge());
    if (k.getOfport() != 0) {
      n.put("ofport", k.getOfport());
    }
    if (k.hasPacket()) {
      n.put("packet", Describe.packet(k.getPacket()));
    }
    strings(n, "nat", k.getNatList());
    ArrayNode rules = n.putArray("rules");
    for (KernelRuleHit r : k.getRulesList()) {
      ObjectNode o = rules.addObject();
      o.put("table", r.getTable()).put("chain", r.getChain()).put("number", r.getNumber());
      o.put("rule", r.getRule()).put("verdict", r.getVerdict());
      putIf(o, "note", r.getNote());
    }
    strings(n, "facts", k.getFactsList());
    putIf(n, "cause", k.getCause());
    putIf(n, "causeCode", k.getCauseCode());
    return n;
  }

  private static void strings(ObjectNode n, String key, List<String> values) {
    ArrayNode a = n.putArray(key);
    values.forEach(a::add);
  }

  private static void putIf(ObjectNode n, String key, String value) {
    if (!value.isEmpty()) {
      n.put(key, value);
    }
  }
}
