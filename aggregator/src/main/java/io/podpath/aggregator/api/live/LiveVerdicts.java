package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.EndpointTrace;
import io.podpath.proto.v1.LiveTrace;
import io.podpath.proto.v1.Sighting;
import io.podpath.proto.v1.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sets each capture point's observation beside its prediction, the live verdict, and the finding
 * that names the first point where model and reality part.
 */
final class LiveVerdicts {
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
    for (int i = 0; i < points.size(); i++) {
      CapturePoint p = points.get(i);
      Optional<Sighting> s = p.first(seen.getOrDefault(p.node(), List.of()));
      out.addPoints(LiveTracer.wire(p, s, sentAt));
      if (s.isPresent()) {
        lastSeen = i;
      }
      if (firstApart < 0 && s.isPresent() != p.predicted() && seen.containsKey(p.node())) {
        firstApart = i;
      }
    }
    CapturePoint last = points.isEmpty() ? null : points.get(points.size() - 1);
    boolean delivered =
        last != null
            && e.hasPod()
            && last.what().equals(LivePoints.name(e.getPod()) + " host veth")
            && lastSeen == points.size() - 1;
    if (!blind.isEmpty()) {
      out.setLiveVerdict(Verdict.VERDICT_INCONCLUSIVE)
          .setFinding("could not observe on " + String.join(", ", blind));
      return;
    }
    out.setLiveVerdict(delivered ? Verdict.VERDICT_DELIVERED : Verdict.VERDICT_DROPPED);
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
    if (apart.predicted()) {
      out.setFinding(
          modelSays
              + "; the real packet was "
              + (lastSeen < 0 ? "seen nowhere" : "last seen " + where(points, out, lastSeen))
              + " and never seen on "
              + apart.node()
              + " ("
              + apart.what()
              + ")");
    } else {
      out.setFinding(
          modelSays
              + "; the real packet was seen "
              + where(points, out, firstApart)
              + ", where the model says it never gets");
    }
  }

  private static String where(List<CapturePoint> points, LiveTrace.Builder out, int i) {
    CapturePoint p = points.get(i);
    String iface = out.getPoints(i).getInterface();
    return "on " + p.node() + (iface.isEmpty() ? "" : " " + iface) + " (" + p.what() + ")";
  }
}
