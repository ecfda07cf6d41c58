package io.podpath.agent.trace;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One datapath action from ofproto/trace's "Datapath actions:" line. */
public sealed interface DpAction {
  /** The action as printed. */
  String text();

  /** Output to datapath port {@code port} (a datapath number, not an OpenFlow one). */
  record Output(int port, String text) implements DpAction {}

  record Drop(String text) implements DpAction {}

  record Recirc(String id, String text) implements DpAction {}

  /** {@code hash(...)}: OVS picks one of several buckets (e.g. an OVN load balancer backend). */
  record Hash(String text) implements DpAction {}

  record Ct(String args, String text) implements DpAction {}

  /** {@code set(eth(...))}, {@code set(ipv4(...))}, ...: header rewrites with their fields. */
  record SetField(String header, Map<String, String> fields, String text) implements DpAction {}

  /** {@code userspace(...)}: to ovs-vswitchd, e.g. to the controller (ovn-controller). */
  record Userspace(boolean controller, String text) implements DpAction {}

  /**
   * {@code tnl_push(tnl_port(N),header(...),out_port(M))} of the userspace datapath: the packet is
   * encapsulated for tunnel port N and sent by port M.
   */
  record TunnelPush(
      int tunnelPort,
      int outPort,
      String type,
      Optional<InetAddress> outerSrc,
      Optional<InetAddress> outerDst,
      long vni,
      List<GeneveOption> geneveOptions,
      String text)
      implements DpAction {}

  record TunnelPop(int port, String text) implements DpAction {}

  record Clone(List<DpAction> actions, String text) implements DpAction {}

  record Other(String text) implements DpAction {}
}
