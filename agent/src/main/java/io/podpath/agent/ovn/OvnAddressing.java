package io.podpath.agent.ovn;

import com.google.common.net.InetAddresses;
import io.podpath.agent.ovsdb.OvsdbRow;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * MACs a trace needs that only OVN knows: a pod's own MAC (its Port_Binding's "MAC IP..."), and the
 * next hop's MAC for a destination: the destination pod's when it sits on the same logical switch,
 * else the switch's router port (rtos-NODE, the peer of stor-NODE), i.e. the gateway.
 */
public final class OvnAddressing {
  private static final Pattern BLANKS = Pattern.compile("\\s+");
  private static final Pattern MAC = Pattern.compile("(?i)[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  private OvnAddressing() {}

  /** The first MAC of a logical port ("0a:58:0a:f4:01:04 10.244.1.4" → the MAC). */
  public static Optional<String> macOf(Southbound sb, String logicalPort) {
    return sb.portBinding(logicalPort).flatMap(OvnAddressing::firstMac);
  }

  /** The IPs of a logical port ("MAC IP [IP...]" entries, prefixes dropped). */
  public static List<String> ipsOf(Southbound sb, String logicalPort) {
    List<String> out = new ArrayList<>();
    sb.portBinding(logicalPort)
        .ifPresent(
            pb -> {
              for (String entry : pb.set("mac")) {
                String[] words = BLANKS.split(entry.strip());
                for (int i = 1; i < words.length; i++) {
                  String ip =
                      words[i].contains("/")
                          ? words[i].substring(0, words[i].indexOf('/'))
                          : words[i];
                  if (InetAddresses.isInetAddress(ip)) {
                    out.add(InetAddresses.forString(ip).getHostAddress());
                  }
                }
              }
            });
    return out;
  }

  /** The MAC the source pod must send to for {@code dst}. */
  public static Optional<String> nextHopMac(Southbound sb, String srcLogicalPort, InetAddress dst) {
    Optional<OvsdbRow> src = sb.portBinding(srcLogicalPort);
    if (src.isEmpty()) {
      return Optional.empty();
    }
    List<OvsdbRow> onSwitch = sb.portBindingsOn(src.get().string("datapath"));
    String want = dst.getHostAddress();
    for (OvsdbRow pb : onSwitch) {
      for (String entry : pb.set("mac")) {
        String[] words = entry.split("\\s+");
        for (int i = 1; i < words.length; i++) {
          if (sameIp(words[i], want)) {
            return Optional.of(words[0]);
          }
        }
      }
    }
    for (OvsdbRow pb : onSwitch) {
      if ("patch".equals(pb.string("type")) || "l3gateway".equals(pb.string("type"))) {
        String peer = pb.map("options").getOrDefault("peer", "");
        Optional<String> mac = sb.portBinding(peer).flatMap(OvnAddressing::firstMac);
        if (mac.isPresent()) {
          return mac;
        }
      }
    }
    return Optional.empty();
  }

  private static boolean sameIp(String word, String want) {
    String ip = word.contains("/") ? word.substring(0, word.indexOf('/')) : word;
    // literals only: a word like "dynamic" must never become a DNS lookup
    return InetAddresses.isInetAddress(ip)
        && InetAddresses.forString(ip).getHostAddress().equals(want);
  }

  private static Optional<String> firstMac(OvsdbRow pb) {
    for (String entry : pb.set("mac")) {
      String first = BLANKS.split(entry.strip())[0];
      if (MAC.matcher(first).matches()) {
        return Optional.of(first);
      }
    }
    return Optional.empty();
  }
}
