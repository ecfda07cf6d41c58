package io.podpath.agent.conntrack;

/**
 * The fill of one conntrack table a new connection needs an entry in: "ovs" (the userspace
 * datapath's table, limit {@code dpctl/ct-get-maxconns}), "ovs zone N" (a per-zone limit), or
 * "kernel" (nf_conntrack of the node's netns).
 */
public record ConntrackFill(String table, long count, long max, boolean full) {
  /** "ovs 1/0". */
  public String text() {
    return table + " " + count + "/" + max;
  }
}
