package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.Sighting;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sets each capture point's observation beside its prediction, the exchange's outcome (REPLIED /
 * DELIVERED / LOST after a point), the live verdict, and the finding that names the first point
 * where model and reality part.
 */
final class LiveVerdicts {
  static final String REPLIED = "REPLIED";

  private LiveVerdicts() {}

  static void judge(
      LiveTrace.Builder out,
      EndpointTrace e,
      List<CapturePoint> points,
      Map<String, List<Sighting>> seen,
      long sentAt,
      List<String> blind) {
    Verdict model = e.getForward().getVerdict();
    out.setModelVerdict(model);
    int lastSeen = -1;
    int firstApart = -1;
    boolean[] hit = new boolean[points.size()];
    for (int i = 0; i < points.size(); i++) {
      CapturePoint p = points.get(i);
      Optional<Sighting> s = p.first(seen.getOrDefault(p.node(), List.of()));
      out.addPoints(LiveTracer.wire(p, s, sentAt));
      hit[i] = s.isPresent();
      if (s.isPresent()) {
        lastSeen = i;
      }
      if (firstApart < 0
          && p.judged()
          && s.isPresent() != p.predicted()
          && seen.containsKey(p.node())) {
        firstApart = i;
      }
    }
    out.setOutcome(outcome(e, points, hit, out));
    if (!blind.isEmpty()) {
      out.setLiveVerdict(Verdict.VERDICT_INCONCLUSIVE)
          .setFinding("could not observe on " + String.join(", ", blind));
      return;
    }
    out.setLiveVerdict(verdict(e, points, hit));
    String modelSays = "model says " + model.name().replace("VERDICT_", "");
    if (firstApart < 0) {
      out.setFinding(
          modelSays
              + "; the real packet agrees at every point"
              + (lastSeen < 0
                  ? " (it was seen nowhere)"
                  : ", last seen " + where(points, out, lastSeen)));
      return;
    }
    out.setDisagrees(true);
    CapturePoint apart = points.get(firstApart);
    int before = -1;
    for (int i = 0; i < firstApart; i++) {
      if (hit[i]) {
        before = i;
      }
    }
    if (apart.predicted()) {
      out.setFinding(
          modelSays
              + "; the real packet was "
              + (before < 0 ? "seen nowhere" : "last seen " + where(points, out, before))
              + " and never seen on "
              + apart.node()
              + " ("
              + apart.what()
              + ")"
              + apart
                  .refusalSeen(seen.getOrDefault(apart.node(), List.of()))
                  .map(
                      r ->
                          "; "
                              + r
                              + " came back instead: nothing accepted it at the destination port")
                  .orElse(""));
    } else {
      out.setFinding(
          modelSays
              + "; the real packet was seen "
              + where(points, out, firstApart)
              + ", where the model says it never gets");
    }
  }

  /**
   * REPLIED: the answer reached the source's point (the last one). DELIVERED: the request reached
   * the destination pod's veth and no answer left it. Else LOST after the last point seen.
   */
  private static String outcome(
      EndpointTrace e, List<CapturePoint> points, boolean[] hit, LiveTrace.Builder out) {
    int n = points.size();
    if (n > 0 && hit[n - 1] && points.get(n - 1).reply()) {
      return REPLIED;
    }
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (hit[i]) {
        last = i;
      }
    }
    if (last < 0) {
      return n == 0 ? "LOST (no capture point)" : "LOST before " + points.get(0).what();
    }
    CapturePoint p = points.get(last);
    if (!p.reply() && isDestinationVeth(e, p)) {
      return "DELIVERED";
    }
    return "LOST after " + where(points, out, last).substring(3);
  }

  private static Verdict verdict(EndpointTrace e, List<CapturePoint> points, boolean[] hit) {
    int lastForward = -1;
    for (int i = 0; i < points.size(); i++) {
      CapturePoint p = points.get(i);
      if (hit[i] && !p.reply() && isDestinationVeth(e, p)) {
        return Verdict.VERDICT_DELIVERED;
      }
      if (!p.reply() && p.predicted()) {
        lastForward = i;
      }
    }
    // Outside the cluster: seen where the model says it leaves (the last point it predicts).
    if (!LivePoints.hasPod(e)
        && e.getForward().getVerdict() == Verdict.VERDICT_LEFT_CLUSTER
        && lastForward >= 0
        && hit[lastForward]) {
      return Verdict.VERDICT_LEFT_CLUSTER;
    }
    return Verdict.VERDICT_DROPPED;
  }

  private static boolean isDestinationVeth(EndpointTrace e, CapturePoint p) {
    return LivePoints.hasPod(e) && p.what().equals(LivePoints.name(e.getPod()) + " host veth");
  }

  private static String where(List<CapturePoint> points, LiveTrace.Builder out, int i) {
    CapturePoint p = points.get(i);
    String iface = out.getPoints(i).getInterface();
    return "on " + p.node() + (iface.isEmpty() ? "" : " " + iface) + " (" + p.what() + ")";
  }
}
