package io.podpath.agent.ovn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * The UUIDs of a big table (Logical_Flow, ACL) in two sorted long arrays: 16 bytes per row, so a
 * cluster's hundred thousand logical flows fit a small agent heap, and a 32-bit cookie or an
 * 8-hex-digit stage-hint finds its rows by binary search.
 */
final class UuidIndex {
  private final long[] msb;
  private final long[] lsb;

  UuidIndex(Collection<String> uuids) {
    List<UUID> sorted = new ArrayList<>(uuids.size());
    for (String u : uuids) {
      try {
        sorted.add(UUID.fromString(u));
      } catch (IllegalArgumentException e) {
        // not a UUID: cannot be the target of a cookie
      }
    }
    sorted.sort(
        (a, b) -> Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits()));
    msb = new long[sorted.size()];
    lsb = new long[sorted.size()];
    for (int i = 0; i < msb.length; i++) {
      msb[i] = sorted.get(i).getMostSignificantBits();
      lsb[i] = sorted.get(i).getLeastSignificantBits();
    }
  }

  int size() {
    return msb.length;
  }

  /** Every UUID whose first 32 bits are {@code prefix32}. */
  List<String> withPrefix(long prefix32) {
    long lo = (prefix32 & 0xFFFF_FFFFL) << 32;
    List<String> out = new ArrayList<>();
    int i = lowerBound(lo);
    while (i < msb.length && (msb[i] >>> 32) == (prefix32 & 0xFFFF_FFFFL)) {
      out.add(new UUID(msb[i], lsb[i]).toString());
      i++;
    }
    return out;
  }

  /** Every UUID whose text starts with {@code hex8} (northd's stage-hint). */
  List<String> withHint(String hex8) {
    if (hex8 == null || !hex8.matches("[0-9a-fA-F]{8}")) {
      return List.of();
    }
    return withPrefix(Long.parseLong(hex8, 16));
  }

  private int lowerBound(long key) {
    int lo = 0;
    int hi = msb.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(msb[mid], key) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public String toString() {
    return "UuidIndex[" + msb.length + " rows]";
  }
}
