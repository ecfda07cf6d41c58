package io.podpath.agent.pod;

import io.podpath.agent.errors.AgentException;
import io.podpath.agent.errors.UnavailableException;
import io.podpath.agent.ip.IpLink;
import io.podpath.agent.ip.IpTool;
import io.podpath.agent.netns.NetnsExecutor;
import io.podpath.agent.netns.Nsid;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the namespace holding a host veth's peer, and proves it: the veth's {@code link_netnsid}
 * names the peer's namespace in the node's own ids, so the answer is the one candidate namespace
 * the node gives that id (RTM_GETNSID), and in it the link whose iflink is the veth. ifindex and
 * iflink numbers alone prove nothing: they repeat across namespaces (eth0 is 2 in nearly every
 * pod). When no candidate carries the id (a namespace held only by a mount we cannot see), the
 * answer is {@link Unproven}, naming the look-alikes: never a guess.
 */
final class NetnsLocator {
  private final IpTool ip;
  private final NetnsExecutor executor;
  private final Optional<Path> hostNetns;

  NetnsLocator(IpTool ip, NetnsExecutor executor, Optional<Path> hostNetns) {
    this.ip = ip;
    this.executor = executor;
    this.hostNetns = hostNetns;
  }

  record Match(Path netns, IpLink link) {}

  /** The outcome: a proven namespace, or why none could be proven. */
  sealed interface Located permits Proven, Unproven {}

  record Proven(Match match) implements Located {}

  record Unproven(String reason) implements Located {}

  Located locate(IpLink veth, int peer, long hostInode, Instant deadline) {
    if (veth.linkNetnsid().isEmpty()) {
      return new Unproven(
          "host veth "
              + veth.name()
              + " shows no link-netnsid: its peer is not in another network namespace");
    }
    int want = veth.linkNetnsid().getAsInt();
    List<Path> candidates = NetnsCandidates.list(Set.of(hostInode));
    Map<Path, Integer> ids = nsids(candidates, deadline);
    List<Path> owners = candidates.stream().filter(p -> ids.getOrDefault(p, -1) == want).toList();
    if (owners.size() == 1) {
      Path ns = owners.get(0);
      Optional<Match> m = matchIn(ns, veth.ifindex(), peer, deadline);
      if (m.isPresent()) {
        return new Proven(m.get());
      }
      return new Unproven(
          "namespace "
              + ns
              + " holds the peer of "
              + veth.name()
              + " (nsid "
              + want
              + ") but has no link whose iflink is "
              + veth.ifindex());
    }
    List<String> lookalikes = new ArrayList<>();
    for (Path ns : candidates) {
      matchIn(ns, veth.ifindex(), peer, deadline)
          .ifPresent(m -> lookalikes.add(ns + " (" + m.link().name() + ")"));
    }
    return new Unproven(
        "no visible network namespace is the one "
            + veth.name()
            + " links to (nsid "
            + want
            + " in the node's namespace)"
            + (lookalikes.isEmpty()
                ? ""
                : "; these have a link with iflink "
                    + veth.ifindex()
                    + " but are other namespaces: "
                    + lookalikes));
  }

  /** Every candidate's id as the node's namespace sees it (the thread must be in that one). */
  private Map<Path, Integer> nsids(List<Path> candidates, Instant deadline) {
    if (hostNetns.isEmpty()) {
      return nsidsHere(candidates);
    }
    return executor.call(hostNetns.get(), PodLocator.left(deadline), () -> nsidsHere(candidates));
  }

  private static Map<Path, Integer> nsidsHere(List<Path> candidates) {
    Map<Path, Integer> out = new LinkedHashMap<>();
    for (Path p : candidates) {
      try {
        out.put(p, Nsid.of(p));
      } catch (UnavailableException e) {
        // a process that exited since the listing: not a candidate any more
      }
    }
    return out;
  }

  /** The link in {@code ns} whose iflink is the veth (the one with ifindex {@code peer} first). */
  private Optional<Match> matchIn(Path ns, int hostIfindex, int peer, Instant deadline) {
    List<IpLink> links;
    try {
      links = ip.addrs(Optional.of(ns), PodLocator.left(deadline));
    } catch (AgentException e) {
      return Optional.empty(); // gone, or not a namespace we can enter
    }
    List<IpLink> hits =
        links.stream()
            .filter(
                l ->
                    l.linkIndex().isPresent()
                        && l.linkIndex().getAsInt() == hostIfindex
                        && l.linkNetnsid().isPresent())
            .toList();
    return hits.stream()
        .filter(l -> l.ifindex() == peer)
        .findFirst()
        .or(() -> hits.stream().findFirst())
        .map(l -> new Match(ns, l));
  }
}
