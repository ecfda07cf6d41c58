package io.podpath.aggregator.alert;

/** One alert stream: a check on a node ("cluster" for cluster-level checks). */
public record AlertKey(String node, String check) implements Comparable<AlertKey> {
  @Override
  public int compareTo(AlertKey o) {
    int c = node.compareTo(o.node);
    return c != 0 ? c : check.compareTo(o.check);
  }

  @Override
  public String toString() {
    return node + "/" + check;
  }
}
