package io.podpath.agent.server;

import io.podpath.proto.grpc.HostPort;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to run one agent: what {@code Main}'s flags say, or what a test sets.
 *
 * @param tls empty = plaintext (only with --plaintext)
 * @param hostNetns the node's netns for node-level reads; empty = the agent's own
 */
public record AgentOptions(
    String nodeName,
    Path ovsRundir,
    Optional<String> ovnSb,
    Optional<String> ovnNb,
    HostPort listen,
    HostPort metricsListen,
    Optional<TlsFiles> tls,
    Optional<Path> hostNetns,
    int maxConcurrentCalls) {

  /**
   * An agent embedded in a test or a tool: plaintext gRPC and HTTP on loopback with ephemeral
   * ports, the OVN databases found from the node itself.
   */
  public static AgentOptions loopback(
      String nodeName, Path ovsRundir, Optional<Path> hostNetns, int maxConcurrentCalls) {
    HostPort any = new HostPort("127.0.0.1", 0);
    return new AgentOptions(
        nodeName,
        ovsRundir,
        Optional.empty(),
        Optional.empty(),
        any,
        any,
        Optional.empty(),
        hostNetns,
        maxConcurrentCalls);
  }

  /**
   * PEM files: this agent's certificate and key, and the CA its clients' certificates chain to.
   *
   * @param clientName when present, a client certificate must also name it (SAN or CN)
   */
  public record TlsFiles(Path cert, Path key, Path ca, Optional<String> clientName) {
    public TlsFiles(Path cert, Path key, Path ca) {
      this(cert, key, ca, Optional.empty());
    }
  }
}
