package io.podpath.aggregator.render;

import io.podpath.proto.v1.DirectionTrace;
import io.podpath.proto.v1.DropInfo;
import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.NodeObservation;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.TraceOutcome;
import io.podpath.proto.v1.TraceResult;
import io.podpath.proto.v1.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A trace as one SVG picture, laid out here (no browser, no Graphviz): one card per destination
 * endpoint, the forward path above the reply, each node a box with the port the packet entered by,
 * the tables that decided its fate and how it left, tunnels with their VNI between boxes, and the
 * drop (table, flow, NetworkPolicy) in red. A Service's endpoints sit side by side, wrapping into
 * rows so that the picture stays within {@link #MAX_WIDTH} however many endpoints it has. The CLI's
 * {@code -o svg} and the web page draw with this class, so both show the same picture.
 */
public final class TraceSvg {
  static final int MAX_WIDTH = 2900;
  static final int BOX_W = 250;
  static final int PILL_W = 150;
  static final int GAP = 84;
  static final int LINE = 15;
  static final int PAD = 8;
  static final int LANE_HEAD = 42;
  static final int CARD_PAD = 12;
  static final int CARD_HEAD = 26;
  static final int GUTTER = 16;

  static final String DELIVERED = "#1a7f37";
  static final String DROPPED = "#cf222e";
  static final String LEFT = "#0969da";
  static final String INCONCLUSIVE = "#9a6700";
  static final String INK = "#1f2328";
  static final String MUTED = "#59636e";

  private TraceSvg() {}

  public static String render(TraceResult r) {
    List<Card> cards = new ArrayList<>();
    for (EndpointTrace e : r.getEndpointsList()) {
      cards.add(Card.of(e));
    }
    int cardW = cards.stream().mapToInt(Card::width).max().orElse(2 * PILL_W + GAP);
    int columns = Math.max(1, Math.min(cards.size(), (MAX_WIDTH + GUTTER) / (cardW + GUTTER)));
    int top = 48;
    List<Integer> rowTops = new ArrayList<>();
    int y = top;
    for (int i = 0; i < cards.size(); i += columns) {
      rowTops.add(y);
      int h = 0;
      for (int j = i; j < Math.min(cards.size(), i + columns); j++) {
        h = Math.max(h, cards.get(j).height());
      }
      y += h + GUTTER;
    }
    int width = Math.max(520, columns * (cardW + GUTTER) + GUTTER);
    int height = y + 4;
    SvgWriter w = new SvgWriter();
    w.open(
        "svg",
        "xmlns",
        "http://www.w3.org/2000/svg",
        "class",
        "podpath-trace",
        "width",
        Integer.toString(width),
        "height",
        Integer.toString(height),
        "viewBox",
        "0 0 " + width + " " + height);
    w.open("defs")
        .open(
            "marker",
            "id",
            "podpath-arrow",
            "viewBox",
            "0 0 10 10",
            "refX",
            "9",
            "refY",
            "5",
            "markerWidth",
            "7",
            "markerHeight",
            "7",
            "orient",
            "auto")
        .empty("path", "d", "M0,0 L10,5 L0,10 z", "fill", MUTED)
        .close("marker")
        .close("defs");
    w.rect(0, 0, width, height, "#ffffff", "none", 0);
    int chars = SvgWriter.chars(width - 2 * GUTTER);
    w.text(GUTTER, 20, r.getSource() + " → " + r.getDestination(), chars, INK, true, "title");
    String sub =
        cards.size() == 1
            ? "forward above, reply below"
            : cards.size() + " endpoints side by side; forward above, reply below in each";
    w.text(GUTTER, 37, sub, chars, MUTED, false, "");
    for (int i = 0; i < cards.size(); i++) {
      int col = i % columns;
      int x = GUTTER + col * (cardW + GUTTER);
      cards.get(i).draw(w, x, rowTops.get(i / columns), cardW);
    }
    w.close("svg");
    return w.done();
  }

  static String colour(Verdict v) {
    return switch (v) {
      case VERDICT_DELIVERED -> DELIVERED;
      case VERDICT_DROPPED -> DROPPED;
      case VERDICT_LEFT_CLUSTER -> LEFT;
      default -> INCONCLUSIVE;
    };
  }

  /** One endpoint: its forward lane and, below it, its reply lane. */
  record Card(EndpointTrace e, List<Lane> lanes) {
    static Card of(EndpointTrace e) {
      List<Lane> lanes = new ArrayList<>();
      lanes.add(Lane.of("forward", e.getForward()));
      if (e.hasReply()) {
        lanes.add(Lane.of("reply", e.getReply()));
      }
      return new Card(e, lanes);
    }

    int width() {
      int boxes = lanes.stream().mapToInt(l -> l.boxes().size()).max().orElse(0);
      return 2 * CARD_PAD + 2 * PILL_W + (boxes + 1) * GAP + boxes * BOX_W;
    }

    int height() {
      return CARD_HEAD + lanes.stream().mapToInt(Lane::height).sum() + CARD_PAD;
    }

    void draw(SvgWriter w, int x, int y, int width) {
      w.open(
          "g",
          "class",
          "endpoint",
          "data-endpoint",
          e.getEndpoint(),
          "data-verdict",
          TraceJson.verdict(e.getForward()));
      w.rect(x, y, width, height(), "#f6f8fa", "#d1d9e0", 1);
      String title = e.getEndpoint().isEmpty() ? e.getIp() : e.getEndpoint();
      w.text(x + CARD_PAD, y + 18, "to " + title, SvgWriter.chars(width - 24), INK, true, "");
      int ly = y + CARD_HEAD;
      for (Lane l : lanes) {
        l.draw(w, x + CARD_PAD, ly, width - 2 * CARD_PAD);
        ly += l.height();
      }
      w.close("g");
    }
  }

  /** One direction: source, node boxes in order, and where the packet ended. */
  record Lane(String name, DirectionTrace d, List<Box> boxes) {
    static Lane of(String name, DirectionTrace d) {
      List<Box> boxes = new ArrayList<>();
      for (NodeObservation o : d.getNodesList()) {
        boxes.add(Box.of(o, d));
      }
      return new Lane(name, d, boxes);
    }

    int boxHeight() {
      return boxes.stream().mapToInt(Box::height).max().orElse(3 * LINE + 2 * PAD);
    }

    int height() {
      return LANE_HEAD + boxHeight() + 14;
    }

    void draw(SvgWriter w, int x, int y, int width) {
      String verdict = TraceJson.verdict(d);
      String colour = colour(d.getVerdict());
      w.open("g", "class", "direction " + name, "data-direction", name, "data-verdict", verdict);
      w.text(x, y + 13, name, 10, INK, true, "");
      w.text(x + 72, y + 13, verdict, 20, colour, true, "verdict");
      w.text(x, y + 29, d.getSummary(), SvgWriter.chars(width), MUTED, false, "summary");
      int top = y + LANE_HEAD;
      int mid = top + 22;
      pill(
          w,
          x,
          top,
          Describe.hostPort(d.getPacket().getSrcIp(), d.getPacket().getSrcPort()),
          "source",
          MUTED);
      int cx = x + PILL_W;
      String edgeLabel = Describe.protocol(d.getPacket().getProtocol());
      String edgeSub = Describe.hostPort(d.getPacket().getDstIp(), d.getPacket().getDstPort());
      for (Box b : boxes) {
        edge(w, cx, cx + GAP, mid, edgeLabel, edgeSub);
        b.draw(w, cx + GAP, top);
        cx += GAP + BOX_W;
        TraceOutcome out = b.o().getTrace().getOutcome();
        if (out.hasTunnel()) {
          edgeLabel = "vni " + Describe.vni(out.getTunnel().getVni());
          edgeSub = out.getTunnel().getType().isEmpty() ? "tunnel" : out.getTunnel().getType();
        } else {
          edgeLabel = "";
          edgeSub = "";
        }
      }
      edge(w, cx, cx + GAP, mid, edgeLabel, edgeSub);
      pill(w, cx + GAP, top, end(d), "end", colour);
      w.close("g");
    }

    static String end(DirectionTrace d) {
      return switch (d.getVerdict()) {
        case VERDICT_DELIVERED -> "delivered";
        case VERDICT_DROPPED -> "dropped on " + d.getDroppedNode();
        case VERDICT_LEFT_CLUSTER -> "left: " + d.getLeftVia();
        default -> d.getReason().isEmpty() ? "inconclusive" : d.getReason();
      };
    }

    static void edge(SvgWriter w, int x1, int x2, int y, String label, String sub) {
      w.arrow(x1 + 4, x2 - 4, y, MUTED);
      int chars = SvgWriter.chars(x2 - x1 - 4);
      if (!label.isEmpty()) {
        w.text(x1 + 6, y - 6, label, chars, INK, false, "edge");
      }
      if (!sub.isEmpty()) {
        w.text(x1 + 6, y + 14, sub, chars, MUTED, false, "edge");
      }
    }

    static void pill(SvgWriter w, int x, int y, String text, String cls, String colour) {
      w.rect(x, y + 6, PILL_W, 32, "#ffffff", colour, 1.5);
      w.text(x + 8, y + 26, text, SvgWriter.chars(PILL_W - 16), colour, true, cls);
    }
  }

  /** One node: name and role, the port it entered by, its key tables, how the packet left. */
  record Box(NodeObservation o, List<KeySteps.Line> steps, List<String> dropLines, String in) {
    static Box of(NodeObservation o, DirectionTrace d) {
      NodeTrace t = o.getTrace();
      TraceOutcome out = t.getOutcome();
      boolean dropped = out.getKind() == TraceOutcome.Kind.KIND_DROPPED;
      DropInfo drop = out.hasDrop() ? out.getDrop() : d.getDrop();
      List<String> dropLines = new ArrayList<>();
      if (dropped) {
        dropLines.add("dropped in table " + drop.getTable());
        if (drop.hasNetworkPolicy()) {
          var p = drop.getNetworkPolicy();
          dropLines.add("policy " + p.getNamespace() + "/" + p.getName());
        }
        if (!drop.getReason().isEmpty()) {
          dropLines.add(drop.getReason());
        }
        String flow = dropFlow(t, drop);
        if (!flow.isEmpty()) {
          dropLines.add(flow);
        }
      }
      return new Box(o, KeySteps.of(t, dropped, drop.getTable()), dropLines, in(t.getFlow()));
    }

    /** The flow that dropped: cookie and priority of the last step in the drop's table. */
    static String dropFlow(NodeTrace t, DropInfo drop) {
      for (int i = t.getStepsCount() - 1; i >= 0; i--) {
        var s = t.getSteps(i);
        if (s.getTable() == drop.getTable()) {
          return "flow cookie "
              + (s.getCookie().isEmpty() ? drop.getCookie() : s.getCookie())
              + " priority "
              + s.getPriority()
              + (s.getMatch().isEmpty() ? "" : " " + s.getMatch());
        }
      }
      return drop.getCookie().isEmpty() ? "" : "flow cookie " + drop.getCookie();
    }

    /** "in: tunnel vni 0x1 (in_port 2)" or "in: in_port 4" from the traced flow. */
    static String in(String flow) {
      String port = "";
      String tun = "";
      for (String f : flow.split(",")) {
        if (f.startsWith("in_port=")) {
          port = f.substring("in_port=".length());
        } else if (f.startsWith("tun_id=")) {
          tun = f.substring("tun_id=".length());
        }
      }
      if (!tun.isEmpty()) {
        return "in: tunnel vni " + tun + (port.isEmpty() ? "" : " (in_port " + port + ")");
      }
      return port.isEmpty() ? "" : "in: pod port (in_port " + port + ")";
    }

    int lines() {
      return 1 + (in.isEmpty() ? 0 : 1) + steps.size() + 1 + dropLines.size();
    }

    int height() {
      return 2 * PAD + lines() * LINE + 4;
    }

    void draw(SvgWriter w, int x, int y) {
      TraceOutcome out = o.getTrace().getOutcome();
      boolean dropped = !dropLines.isEmpty();
      w.open(
          "g",
          "class",
          dropped ? "node dropped" : "node",
          "data-node",
          o.getNode(),
          "data-role",
          role(o));
      w.rect(x, y, BOX_W, height(), dropped ? "#ffebe9" : "#ffffff", dropped ? DROPPED : INK, 2);
      int chars = SvgWriter.chars(BOX_W - 2 * PAD);
      int ty = y + PAD + 11;
      w.text(x + PAD, ty, o.getNode() + "  (" + role(o) + ")", chars, INK, true, "node-name");
      ty += LINE;
      if (!in.isEmpty()) {
        w.text(x + PAD, ty, in, chars, MUTED, false, "");
        ty += LINE;
      }
      for (KeySteps.Line l : steps) {
        w.text(x + PAD, ty, l.text(), chars, l.drop() ? DROPPED : INK, l.drop(), "table");
        ty += LINE;
      }
      if (dropped) {
        w.rect(x + 3, ty - 11, BOX_W - 6, dropLines.size() * LINE + 4, "#ffd8d3", "none", 0);
        for (String line : dropLines) {
          w.text(x + PAD, ty, line, chars, DROPPED, true, "drop");
          ty += LINE;
        }
      } else {
        w.text(x + PAD, ty, "out: " + Describe.outcome(out), chars, INK, false, "outcome");
      }
      w.close("g");
    }

    static String role(NodeObservation o) {
      return o.getRole().name().replace("ROLE_", "").toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }
}
