package io.podpath.agent.cni;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsBridge;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.OvsState.OvsPort;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The generic pod → OVS port mapping every CNI shares: the pod's {@code eth0@ifN} names host
 * ifindex N; the host link with that ifindex is the veth; the OVS interface of that name is the
 * pod's port. The profile's external_ids then confirm it (or say what is missing), so a CNI that
 * writes no ids at all is still mapped.
 */
public final class PodPortMapper {
  private PodPortMapper() {}

  /**
   * The OVS port a pod's eth0 peers with, confirmed by the profile's external_ids.
   *
   * @param hostIfindex N of the pod's {@code eth0@ifN} (its link's peer ifindex)
   * @param hostLinks the host netns's links, ifindex → name
   */
  public static PodPortMatch map(
      OvsState ovs, CniProfile profile, int hostIfindex, Map<Integer, String> hostLinks) {
    if (hostIfindex <= 0) {
      return new PodPortMatch.NotInOvs(
          hostIfindex, "the pod's interface names no peer ifindex (not a veth?)");
    }
    String veth = hostLinks.get(hostIfindex);
    if (veth == null) {
      return new PodPortMatch.NotInOvs(
          hostIfindex, "no link with ifindex " + hostIfindex + " in the host network namespace");
    }
    Optional<OvsInterface> found = ovs.interfaceByName(veth);
    if (found.isEmpty()) {
      return new PodPortMatch.NotInOvs(
          hostIfindex,
          "host link "
              + veth
              + " (ifindex "
              + hostIfindex
              + ") is not an OVS interface; "
              + profile.cni()
              + " plugs pods into "
              + profile.podBridge());
    }
    OvsInterface iface = found.get();
    Optional<OvsPort> port = ovs.portOf(iface);
    String bridge = port.flatMap(ovs::bridgeOf).map(OvsBridge::name).orElse("");
    PodPortIds ids = profile.podPortIds();
    Map<String, String> externalIds =
        ids.onPortRow() ? port.map(OvsPort::externalIds).orElse(Map.of()) : iface.externalIds();
    List<String> missing = ids.missingFrom(externalIds);
    if (!iface.type().isEmpty()) {
      missing = concat(missing, "interface type is '" + iface.type() + "', a pod's veth has none");
    }
    if (!bridge.isEmpty() && !bridge.equals(profile.podBridge())) {
      missing = concat(missing, "on bridge " + bridge + ", not " + profile.podBridge());
    }
    return missing.isEmpty()
        ? new PodPortMatch.Confirmed(iface, bridge, veth)
        : new PodPortMatch.Unconfirmed(iface, bridge, veth, missing);
  }

  private static List<String> concat(List<String> a, String b) {
    return Stream.concat(a.stream(), Stream.of(b)).toList();
  }
}
