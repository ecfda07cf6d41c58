package io.podpath.agent.checks;

import io.podpath.agent.checks.parse.Ethtool;
import io.podpath.agent.errors.ProtocolException;
import io.podpath.agent.ip.IpArgv;
import io.podpath.agent.ip.IpJson;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpLiteral;
import io.podpath.agent.ip.IpRoute;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The underlay NIC (the device under the encap IP, else under a tunnel port's options:local_ip,
 * else the one the kernel routes the tunnel peers by; when that is an OVS bridge's internal port,
 * the bridge's physical port): link detected, and error/drop counters rising between sweeps.
 */
public final class NicCheck implements Check {
  public static final String ID = "nic";

  @Override
  public String id() {
    return ID;
  }

  @Override
  public CheckResult run(CheckContext ctx) {
    Findings f = new Findings(ID);
    try {
      OvsSnapshot snap = ctx.ovs().snapshot();
      Optional<String> encapIp = snap.encapIp();
      if (encapIp.isEmpty()) {
        encapIp = snap.localIps().values().stream().sorted().findFirst();
        encapIp.ifPresent(ip -> f.evidence("tunnel options:local_ip", ip));
      }
      Optional<String> dev;
      if (encapIp.isPresent()) {
        dev =
            IpLink.holding(
                    IpJson.links(Reads.run(ctx, f, IpArgv.addrShow()).stdout()), encapIp.get())
                .map(IpLink::name);
        if (dev.isEmpty()) {
          f.problem(
              CheckStatus.FAIL,
              "no interface holds the encap IP " + encapIp.get(),
              "Restore the underlay address " + encapIp.get() + " on the node's NIC/bridge.");
          return f.result("");
        }
      } else {
        // no encap IP written (OpenShift SDN, Antrea, ACI): the device the kernel sends the
        // tunnel peers' packets by is the underlay
        Set<String> peers = TunnelPorts.of(ctx, snap).workingRemotes();
        if (peers.isEmpty()) {
          return f.notApplicable(
              "no encap IP, tunnel local_ip or tunnel peer: no underlay NIC to watch");
        }
        dev = underlayByRoute(ctx, f, peers);
        if (dev.isEmpty()) {
          return f.unknown("no route to any tunnel peer " + peers + ": underlay NIC not known");
        }
      }
      List<String> nics = physicalPorts(snap, dev.get());
      f.evidence("underlay NIC", nics);
      for (String nic : nics) {
        checkNic(ctx, f, nic);
      }
      return f.result("underlay NIC " + String.join(",", nics) + " up, counters steady");
    } catch (AccessException | ProtocolException e) {
      return f.unknown("could not read the underlay NIC: " + e.getMessage());
    }
  }

  /** The device of the first tunnel peer the kernel has a unicast route to. */
  private static Optional<String> underlayByRoute(CheckContext ctx, Findings f, Set<String> peers)
      throws AccessException, ProtocolException {
    for (String peer : peers) {
      Optional<InetAddress> ip = IpLiteral.tryParse(peer);
      if (ip.isEmpty()) {
        continue;
      }
      CommandOutput out = Reads.run(ctx, f, IpArgv.routeGet(ip.get()));
      if (!out.ok()) {
        continue;
      }
      IpRoute r = IpJson.routeGet(out.stdout());
      if (r.type().equals("unicast") && !r.device().isEmpty()) {
        f.evidence("route to tunnel peer " + peer, "dev " + r.device());
        return Optional.of(r.device());
      }
    }
    return Optional.empty();
  }

  /** The device itself, or the non-internal system ports of the OVS bridge it is the port of. */
  static List<String> physicalPorts(OvsSnapshot snap, String dev) {
    if (snap.bridge(dev).isEmpty()) {
      return List.of(dev);
    }
    List<String> out = new ArrayList<>();
    for (OvsSnapshot.Iface i : snap.interfaces()) {
      if (i.bridge().equals(dev)
          && (i.type().isEmpty() || i.type().equals("system"))
          && !i.name().equals(dev)
          && Reads.validIfname(i.name())) {
        out.add(i.name());
      }
    }
    return out.isEmpty() ? List.of(dev) : out;
  }

  private static void checkNic(CheckContext ctx, Findings f, String nic) throws AccessException {
    if (!Reads.validIfname(nic)) {
      f.evidence("nic", "unsafe name skipped: " + nic);
      return;
    }
    CommandOutput eth = Reads.run(ctx, f, List.of("ethtool", nic));
    Optional<Boolean> link = Ethtool.linkDetected(eth.stdout());
    CommandOutput ip = Reads.run(ctx, f, IpArgv.linkStats(nic));
    if (!ip.ok()) {
      throw Reads.failed(ip);
    }
    IpLink l =
        IpJson.links(ip.stdout()).stream()
            .findFirst()
            .orElseThrow(
                () -> new ProtocolException("ip -s -j link show dev " + nic + ": no link"));
    if (link.isPresent() && !link.get()) {
      // set down here, or up with no carrier: the fix is on this node, or on the wire/peer
      boolean adminUp = l.flags().contains("UP");
      f.problem(
          CheckStatus.FAIL,
          "underlay NIC "
              + nic
              + ": no link detected"
              + (adminUp ? " (no carrier)" : " (set down)"),
          adminUp
              ? nic
                  + " is up but sees no carrier: check its cable and switch port (a virtual NIC:"
                  + " its peer or the hypervisor's vswitch)."
              : "Bring "
                  + nic
                  + " up (ip link set "
                  + nic
                  + " up), then look for what set it down.");
    }
    if (link.isEmpty() && !l.operstate().equals("UP")) {
      f.problem(
          CheckStatus.FAIL,
          "underlay NIC " + nic + " is " + l.operstate(),
          "Bring " + nic + " up (ip link set " + nic + " up) and check its peer.");
    }
    rising(ctx, f, nic, "rx_errors", l.rx().errors());
    rising(ctx, f, nic, "tx_errors", l.tx().errors());
    rising(ctx, f, nic, "rx_dropped", l.rx().dropped());
    rising(ctx, f, nic, "tx_dropped", l.tx().dropped());
  }

  private static void rising(CheckContext ctx, Findings f, String nic, String name, long now) {
    OptionalLong before = ctx.memory().exchange("nic." + nic + "." + name, now);
    if (before.isPresent() && now > before.getAsLong()) {
      f.problem(
          CheckStatus.WARN,
          nic + " " + name + " rose by " + (now - before.getAsLong()) + " since the last sweep",
          "Look at ethtool -S "
              + nic
              + " for the driver's reason (ring overruns, CRC errors)"
              + " and at the switch port's counters.");
    }
  }
}
