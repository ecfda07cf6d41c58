package io.podpath.agent.ovn;

import java.time.Duration;
import java.util.Optional;

/** Where the OVN decoder reads its rows from (the databases, or recorded rows in tests). */
public interface OvnTables {
  /**
   * The Southbound tables a drop is explained with.
   *
   * @throws io.podpath.agent.errors.UnavailableException naming the remote when the SB is down
   */
  Southbound southbound(Duration timeout);

  /** Empty when the Northbound DB is not reachable from this node (common: SB-only nodes). */
  Optional<Northbound> northbound(Duration timeout);

  /** Reloads the Southbound rows when the copy in hand is older than a moment (a cookie miss). */
  Southbound southboundFresh(Duration timeout);

  /** Reloads the Northbound rows when older than a moment (a stage-hint not found). */
  Optional<Northbound> northboundFresh(Duration timeout);

  /** For messages: which remotes are used ("tcp:IP:6642", "none"). */
  String describe();
}
