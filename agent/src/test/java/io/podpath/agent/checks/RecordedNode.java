package io.podpath.agent.checks;

import io.podpath.agent.pod.PodKey;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Serves files and command outputs RECORDED from the real tools (see {@link Fixtures}) through the
 * checks' ports, for the cases a sandbox cannot produce (a full conntrack table: its max is
 * read-only inside a netns). Anything not recorded is "absent" / "unreachable".
 */
final class RecordedNode implements HostAccess, OvsAccess, PodAccess {
  final Map<String, String> files = new HashMap<>();
  final Map<List<String>, CommandOutput> commands = new HashMap<>();
  @Nullable OvsSnapshot ovs;

  RecordedNode file(String path, String content) {
    files.put(path, content);
    return this;
  }

  @Override
  public String readFile(String path) throws AccessException {
    String v = files.get(path);
    if (v == null) {
      throw new AccessException(AccessException.Kind.NOT_FOUND, path + " does not exist");
    }
    return v;
  }

  @Override
  public CommandOutput run(List<String> argv) throws AccessException {
    CommandOutput o = commands.get(argv);
    if (o == null) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, "not recorded: " + argv);
    }
    return o;
  }

  @Override
  public OvsSnapshot snapshot() throws AccessException {
    if (ovs == null) {
      throw new AccessException(AccessException.Kind.UNAVAILABLE, "db.sock: no OVS here");
    }
    return ovs;
  }

  @Override
  public String unixctl(String command, List<String> args) throws AccessException {
    throw new AccessException(AccessException.Kind.UNAVAILABLE, "no ovs-vswitchd here");
  }

  @Override
  public OvnLoadBalancers ovnLoadBalancers() throws AccessException {
    throw new AccessException(AccessException.Kind.UNAVAILABLE, "no OVN here");
  }

  @Override
  public CommandOutput run(PodKey pod, List<String> argv) throws AccessException {
    throw new AccessException(AccessException.Kind.NOT_FOUND, "no pod " + pod);
  }

  @Override
  public <T> T call(PodKey pod, NetnsCall<T> task) throws AccessException {
    throw new AccessException(AccessException.Kind.NOT_FOUND, "no pod " + pod);
  }

  CheckContext context(CounterMemory memory) {
    return new CheckContext("node1", ClusterFacts.EMPTY, this, this, this, memory);
  }
}
