package io.podpath.agent.trace;

import io.podpath.agent.errors.InvalidArgumentException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/** The tunnel metadata a packet arrives with: outer source/destination, key and Geneve options. */
public record TunnelMatch(
    InetAddress tunSrc, InetAddress tunDst, long tunId, List<GeneveOption> geneveOptions) {
  public TunnelMatch {
    Objects.requireNonNull(tunSrc, "tunSrc");
    Objects.requireNonNull(tunDst, "tunDst");
    if ((tunSrc instanceof Inet6Address) != (tunDst instanceof Inet6Address)) {
      throw new InvalidArgumentException("tunnel.tun_dst", "must be of the same family as tun_src");
    }
    // VXLAN and Geneve carry 24 bits; GRE/STT more, but OVS caps tun_id at 64.
    if (tunId < 0 || tunId > 0xFFFF_FFFFL) {
      throw new InvalidArgumentException("tunnel.tun_id", "must be 0-4294967295");
    }
    geneveOptions = List.copyOf(geneveOptions);
    for (GeneveOption o : geneveOptions) {
      if (!o.isOvn()) {
        // Only OVN's option has a known tun_metadata mapping (tun_metadata0) on every node.
        throw new InvalidArgumentException(
            "tunnel.geneve_options",
            "only OVN's option (class 0x102, type 0x80, 4 bytes) is supported");
      }
    }
    if (geneveOptions.size() > 1) {
      throw new InvalidArgumentException("tunnel.geneve_options", "at most one option");
    }
  }

  public boolean ipv6() {
    return tunSrc instanceof Inet6Address;
  }
}
