package io.podpath.proto.mesh;

import io.podpath.proto.v1.PeerSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The {@link PeerSet} digest, shared by the aggregator (which computes it once per sweep) and the
 * agents (which compare their tunnels against it): SHA-256 over the distinct non-empty encap IPs,
 * sorted as strings, each followed by a newline.
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
    SortedSet<String> s = normalize(encapIps);
    return new Expected(s.size(), digest(s));
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
    SortedSet<String> s = normalize(workingRemotes);
    if (selfEncapIp != null && !selfEncapIp.isEmpty()) {
      s.add(selfEncapIp);
    }
    return s.size() == count && digest(s).equals(sha256);
  }

  private static SortedSet<String> normalize(Collection<String> ips) {
    SortedSet<String> s = new TreeSet<>();
    for (String ip : ips) {
      if (ip != null && !ip.isEmpty()) {
        s.add(ip);
      }
    }
    return s;
  }

  private static String digest(SortedSet<String> sorted) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (String ip : sorted) {
      md.update(ip.getBytes(StandardCharsets.UTF_8));
      md.update((byte) '\n');
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
