package io.podpath.agent.node;

import java.util.List;

/**
 * What GetNode reports, inside the agent (mapped to proto at the gRPC edge).
 *
 * @param cni the profile's --cni name, empty when none matches the node
 * @param cniEvidence why that profile (or, when none, the detector's error)
 */
public record NodeFacts(
    String nodeName,
    String ovsVersion,
    String ovnVersion,
    List<BridgeFacts> bridges,
    List<TunnelFacts> tunnels,
    String encapIp,
    String encapType,
    int underlayMtu,
    int podMtu,
    String integrationBridge,
    String ovnRemote,
    String systemId,
    String cni,
    List<String> cniEvidence) {

  public record BridgeFacts(String name, String datapathType, int portCount) {}

  public record TunnelFacts(
      String name,
      String type,
      String remoteIp,
      String localIp,
      int ofport,
      String bridge,
      String key,
      String error) {}
}
