package io.podpath.agent.cni;

import io.podpath.agent.ovsdb.OvsState;
import io.podpath.agent.ovsdb.OvsState.OvsInterface;
import io.podpath.agent.ovsdb.VsctlOvsDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The OVSDB rows recorded from real sandboxes (hack/fixtures/cni.sh for sdn and aci,
 * hack/record-fixtures' agent-core area for OVN-Kubernetes).
 */
final class CniFixtures {
  private CniFixtures() {}

  static String read(String path) {
    try (InputStream in = CniFixtures.class.getResourceAsStream("/fixtures/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture " + path + "; run hack/record-fixtures");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** node1 of a CNI mode's sandbox, as recorded under fixtures/cni/MODE/. */
  static OvsState node(String mode) {
    String dir = "cni/" + mode + "/node1-";
    return OvsState.fromRows(
        List.of(),
        VsctlOvsDatabase.parse(read(dir + "bridges.json")),
        VsctlOvsDatabase.parse(read(dir + "ports.json")),
        VsctlOvsDatabase.parse(read(dir + "interfaces.json")));
  }

  /** node1 of the OVN-Kubernetes sandbox (bridges and interfaces; no Port rows recorded). */
  static OvsState ovnKubernetesNode() {
    return OvsState.fromRows(
        List.of(),
        VsctlOvsDatabase.parse(read("agent-core/vsctl-bridge.json")),
        List.of(),
        VsctlOvsDatabase.parse(read("agent-core/vsctl-interface.json")));
  }

  /**
   * The host's links as the kernel numbers them: OVSDB's ifindex column is the ifindex OVS read
   * from the kernel when it opened the device.
   */
  static Map<Integer, String> hostLinks(OvsState ovs) {
    return ovs.interfaces().stream()
        .filter(i -> i.ifindex().isPresent() && i.ifindex().getAsLong() > 0)
        .collect(Collectors.toMap(i -> (int) i.ifindex().getAsLong(), OvsInterface::name));
  }

  /** pods.tsv of a mode: namespace, pod, node, IP, MAC, netns, host veth. */
  static List<String[]> pods(String mode) {
    return read("cni/" + mode + "/pods.tsv")
        .lines()
        .filter(l -> !l.isBlank())
        .map(l -> l.split("\t"))
        .toList();
  }
}
