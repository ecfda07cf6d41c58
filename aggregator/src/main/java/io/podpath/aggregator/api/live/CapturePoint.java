package io.podpath.aggregator.api.live;

import io.podpath.proto.v1.Sighting;
import java.util.List;
import java.util.Optional;

/**
 * A place on the modelled path where the real packet should (or should not) show up: a plain copy
 * on a named interface of a node, or an encapsulated copy with given outer addresses.
 */
record CapturePoint(
    String node,
    String what,
    String iface,
    Optional<String> outerSrc,
    Optional<String> outerDst,
    boolean predicted) {

  static CapturePoint plain(String node, String what, String iface, boolean predicted) {
    return new CapturePoint(node, what, iface, Optional.empty(), Optional.empty(), predicted);
  }

  static CapturePoint encap(String node, String what, String outerSrc, String outerDst) {
    return new CapturePoint(node, what, "", Optional.of(outerSrc), Optional.of(outerDst), true);
  }

  boolean matches(Sighting s) {
    if (outerSrc.isPresent()) {
      return s.hasEncap()
          && s.getEncap().getOuterSrc().equals(outerSrc.get())
          && s.getEncap().getOuterDst().equals(outerDst.get());
    }
    return !s.hasEncap() && !iface.isEmpty() && s.getInterface().equals(iface);
  }

  /** The first sighting on this point's node that matches it. */
  Optional<Sighting> first(List<Sighting> onNode) {
    return onNode.stream().filter(this::matches).findFirst();
  }
}
