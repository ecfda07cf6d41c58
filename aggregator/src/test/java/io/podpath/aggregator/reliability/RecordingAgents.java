package io.podpath.aggregator.reliability;

import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.model.CallScope;
import io.podpath.aggregator.model.NodeAnswer;
import io.podpath.aggregator.model.NodeQuery;
import io.podpath.proto.v1.CheckReport;
import io.podpath.proto.v1.InspectPodRequest;
import io.podpath.proto.v1.NodeInfo;
import io.podpath.proto.v1.PodInspection;
import io.podpath.proto.v1.ProbeRequest;
import io.podpath.proto.v1.ProbeResult;
import io.podpath.proto.v1.RunChecksRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every call the aggregator makes to an agent (the only way it can make a node start a
 * command) and answers through a delegate.
 */
final class RecordingAgents implements AgentClient {
  final List<String> calls = new CopyOnWriteArrayList<>();
  private final AgentClient delegate;

  RecordingAgents(AgentClient delegate) {
    this.delegate = delegate;
  }

  List<String> drain() {
    List<String> out = new ArrayList<>(calls);
    calls.clear();
    return out;
  }

  @Override
  public NodeInfo getNode(String node) {
    calls.add(node + " GetNode");
    return delegate.getNode(node);
  }

  @Override
  public PodInspection inspectPod(String node, InspectPodRequest request) {
    calls.add(node + " InspectPod");
    return delegate.inspectPod(node, request);
  }

  @Override
  public NodeAnswer traceNode(String node, NodeQuery query, CallScope scope) {
    calls.add(node + " TraceNode");
    return delegate.traceNode(node, query, scope);
  }

  @Override
  public CheckReport runChecks(String node, RunChecksRequest request) {
    calls.add(node + " RunChecks");
    return CheckReport.newBuilder().setNode(node).build();
  }

  @Override
  public ProbeResult probe(String node, ProbeRequest request) {
    calls.add(node + " Probe");
    return ProbeResult.newBuilder().setDelivered(true).build();
  }
}
