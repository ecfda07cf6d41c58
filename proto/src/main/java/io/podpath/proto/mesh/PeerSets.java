package io.podpath.proto.mesh;

import io.podpath.common.PeerDigest;
import io.podpath.proto.v1.PeerSet;
import java.util.Collection;

/**
 * The {@link PeerSet} message over {@link PeerDigest}, shared by the aggregator (which computes it
 * once per sweep) and the agents (which compare their tunnels against it): SHA-256 over the
 * distinct non-empty encap IPs, sorted as strings, each followed by a newline.
 */
public final class PeerSets {
  private PeerSets() {}

  /** The cluster's expectation for every node; {@link #forNode} adds the node's own IP. */
  public record Expected(int count, String sha256) {
    public PeerSet forNode(String selfEncapIp) {
      return PeerSet.newBuilder()
          .setCount(count)
          .setSha256(sha256)
          .setSelfEncapIp(selfEncapIp == null ? "" : selfEncapIp)
          .build();
    }
  }

  public static Expected expected(Collection<String> encapIps) {
    PeerDigest.Digest d = PeerDigest.of(encapIps);
    return new Expected(d.count(), d.sha256());
  }

  /**
   * Whether {@code workingRemotes} plus the node's own encap IP (as the cluster knows it) is
   * exactly the expected set.
   */
  public static boolean matches(PeerSet expected, Collection<String> workingRemotes) {
    return matches(
        expected.getCount(), expected.getSha256(), expected.getSelfEncapIp(), workingRemotes);
  }

  /** {@link #matches(PeerSet, Collection)} over the message's fields. */
  public static boolean matches(
      int count, String sha256, String selfEncapIp, Collection<String> workingRemotes) {
    return PeerDigest.matches(count, sha256, selfEncapIp, workingRemotes);
  }
}
