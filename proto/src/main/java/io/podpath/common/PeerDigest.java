package io.podpath.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The digest of a cluster's encap IPs that lets an agent say "my tunnels reach exactly the
 * cluster's nodes" without receiving every IP: SHA-256 over the distinct non-empty IPs, sorted as
 * strings, each followed by a newline. Plain Java (the proto's PeerSet carries it on the wire).
 */
public final class PeerDigest {
  private PeerDigest() {}

  /** How many distinct IPs, and their digest. */
  public record Digest(int count, String sha256) {}

  public static Digest of(Collection<String> encapIps) {
    SortedSet<String> s = normalize(encapIps);
    return new Digest(s.size(), digest(s));
  }

  /**
   * Whether {@code workingRemotes} plus the node's own encap IP (as the cluster knows it) is
   * exactly the set of {@code count} IPs digested to {@code sha256}.
   */
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
