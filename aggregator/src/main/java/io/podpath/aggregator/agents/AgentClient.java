package io.podpath.aggregator.agents;

import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.NodeTrace;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.TraceNodeRequest;

/**
 * Calls a node's agent by node name. Pure interface (no gRPC types), so the planner and its tests
 * depend on this only. Every method throws {@link AgentException} on failure.
 */
public interface AgentClient {
  NodeInfo getNode(String node);

  PodInspection inspectPod(String node, InspectPodRequest request);

  NodeTrace traceNode(String node, TraceNodeRequest request);

  /** RunChecks on the node's agent (the sweep's per-node call). */
  default io.podpath.proto.v1.CheckReport runChecks(
      String node, io.podpath.proto.v1.RunChecksRequest request) {
    throw new AgentException(AgentException.Kind.FAILED, node, "RunChecks not supported here");
  }

  /** Probe: one real packet from a pod on the node (the sweep's active MTU probe). */
  default io.podpath.proto.v1.ProbeResult probe(
      String node, io.podpath.proto.v1.ProbeRequest request) {
    throw new AgentException(AgentException.Kind.FAILED, node, "Probe not supported here");
  }
}
