package io.podpath.agent.cni;

import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import java.util.List;

/** Where a pod's eth0@ifN led in OVS. */
public sealed interface PodPortMatch {

  /** The host veth is an OVS interface and the profile's external_ids confirm it. */
  record Confirmed(OvsInterface iface, String bridge, String hostVeth) implements PodPortMatch {}

  /**
   * The host veth is an OVS interface, but the profile's external_ids are missing: still the pod's
   * port by ifindex (the kernel's veth peer is authoritative), reported so the operator can see a
   * CNI that did not finish wiring it, or a profile that does not fit.
   */
  record Unconfirmed(OvsInterface iface, String bridge, String hostVeth, List<String> missing)
      implements PodPortMatch {
    public Unconfirmed {
      missing = List.copyOf(missing);
    }
  }

  /** No OVS interface for this host ifindex: the reason says what was and wasn't found. */
  record NotInOvs(int hostIfindex, String reason) implements PodPortMatch {}
}
