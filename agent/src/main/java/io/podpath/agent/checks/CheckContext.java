package io.podpath.agent.checks;

/** Everything a check may use: the node's name, the cluster facts, and the ports to the node. */
public record CheckContext(
    String nodeName,
    ClusterFacts cluster,
    HostAccess host,
    PodAccess pods,
    OvsAccess ovs,
    CounterMemory memory) {}
