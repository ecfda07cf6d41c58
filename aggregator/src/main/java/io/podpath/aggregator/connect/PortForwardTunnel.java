package io.podpath.aggregator.connect;

import com.google.common.net.InetAddresses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.podpath.common.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A port-forward from 127.0.0.1 to an aggregator pod's CLI port, made with the user's own
 * kubeconfig: the API server checks that user's right to get the Service, list pods and create
 * pods/portforward, so Kubernetes RBAC decides who may trace. The aggregator binds that port to
 * 127.0.0.1 in its pod; a port-forward is the only way in.
 */
public final class PortForwardTunnel implements AutoCloseable {
  private final LocalPortForward forward;
  private final String pod;

  private PortForwardTunnel(LocalPortForward forward, String pod) {
    this.forward = forward;
    this.pod = pod;
  }

  /** Finds a ready aggregator pod behind the Service and forwards a free local port to it. */
  public static PortForwardTunnel open(KubernetesClient client, AggregatorLocation where) {
    Target target = resolve(client, where);
    try {
      LocalPortForward forward =
          client
              .pods()
              .inNamespace(where.namespace())
              .withName(target.pod())
              .portForward(target.port(), InetAddress.getLoopbackAddress(), 0);
      return new PortForwardTunnel(forward, target.pod());
    } catch (KubernetesClientException e) {
      throw translate(e, where, "create pods/portforward");
    }
  }

  /** The pod and port a tunnel would use; separate so it can be tested without a tunnel. */
  record Target(String pod, int port) {}

  static Target resolve(KubernetesClient client, AggregatorLocation where) {
    String ns = where.namespace();
    Service service;
    try {
      service = client.services().inNamespace(ns).withName(where.service()).get();
    } catch (KubernetesClientException e) {
      throw translate(e, where, "get services");
    }
    if (service == null) {
      throw new AggregatorUnreachableException(
          AggregatorUnreachableException.Reason.NO_SERVICE,
          "no Service "
              + ns
              + "/"
              + where.service()
              + ": is podpath installed there? (choose with --aggregator-namespace and"
              + " --aggregator-service, or give --aggregator HOST:PORT)");
    }
    Map<String, String> selector =
        service.getSpec() == null ? null : service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      throw new AggregatorUnreachableException(
          AggregatorUnreachableException.Reason.NO_READY_POD,
          "Service " + ns + "/" + where.service() + " has no selector: cannot find its pods");
    }
    List<Pod> pods;
    try {
      pods = client.pods().inNamespace(ns).withLabels(selector).list().getItems();
    } catch (KubernetesClientException e) {
      throw translate(e, where, "list pods");
    }
    Pod pod =
        PodChooser.choose(pods)
            .orElseThrow(
                () ->
                    new AggregatorUnreachableException(
                        AggregatorUnreachableException.Reason.NO_READY_POD,
                        "no ready aggregator pod behind "
                            + ns
                            + "/"
                            + where.service()
                            + ": "
                            + PodChooser.describe(pods)));
    int port =
        PodChooser.port(pod, where.portName())
            .orElseThrow(
                () ->
                    new AggregatorUnreachableException(
                        AggregatorUnreachableException.Reason.NO_PORT,
                        "pod "
                            + ns
                            + "/"
                            + pod.getMetadata().getName()
                            + " declares no container port named "
                            + where.portName()));
    return new Target(pod.getMetadata().getName(), port);
  }

  private static AggregatorUnreachableException translate(
      KubernetesClientException e, AggregatorLocation where, String verb) {
    if (e.getCode() == 403 || e.getCode() == 401) {
      return new AggregatorUnreachableException(
          AggregatorUnreachableException.Reason.FORBIDDEN,
          "your kubeconfig identity may not "
              + verb
              + " in namespace "
              + where.namespace()
              + ": ask for a RoleBinding to Role "
              + where.userRole()
              + " there ("
              + e.getStatus().getMessage()
              + ")",
          e);
    }
    return new AggregatorUnreachableException(
        AggregatorUnreachableException.Reason.API_ERROR,
        "Kubernetes API error while trying to " + verb + ": " + e.getMessage(),
        e);
  }

  /** The gRPC target for the CLI's channel, e.g. {@code 127.0.0.1:41234}. */
  public String target() {
    return HostPort.of(
        InetAddresses.toAddrString(forward.getLocalAddress()), forward.getLocalPort());
  }

  /** The aggregator pod the tunnel leads to (for --verbose and error messages). */
  public String pod() {
    return pod;
  }

  /** Errors the forward has met so far (the API server closing it, the pod going away). */
  public boolean errorOccurred() {
    return forward.errorOccurred();
  }

  /** What went wrong on either side of the forward, for error messages. */
  public List<Throwable> failures() {
    List<Throwable> all = new ArrayList<>(forward.getClientThrowables());
    all.addAll(forward.getServerThrowables());
    return all;
  }

  @Override
  public void close() {
    try {
      forward.close();
    } catch (IOException e) {
      // Closing a local listener: nothing the user can act on.
    }
  }
}
