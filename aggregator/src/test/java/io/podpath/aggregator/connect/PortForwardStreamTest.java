package io.podpath.aggregator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The tunnel end to end as far as the mock allows: the API server side of the port-forward is a
 * scripted WebSocket (Kubernetes' port-forward framing: channel byte, then data), so this proves
 * the forward goes to the chosen pod's CLI port and that {@link PortForwardTunnel#target()} is a
 * local address that carries its bytes. A real aggregator behind it needs a real cluster.
 */
@EnableKubernetesMockClient(crud = true)
class PortForwardStreamTest {
  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesMockServer server;

  @SuppressWarnings("NullAway.Init") // injected by @EnableKubernetesMockClient
  KubernetesClient client;

  private static String frame(int channel, String data) {
    return (char) channel + data;
  }

  @Test
  void forwardsALocalPortToTheChosenPodsCliPort() throws Exception {
    PortForwardTunnelTest.service(client);
    client
        .pods()
        .inNamespace("podpath")
        .resource(PortForwardTunnelTest.pod("podpath-aggregator-x", "Running", true, true))
        .create();
    server
        .expect()
        .get()
        .withPath("/api/v1/namespaces/podpath/pods/podpath-aggregator-x/portforward?ports=7400")
        .andUpgradeToWebSocket()
        .open()
        .waitFor(10)
        .andEmit(frame(0, "12")) // data channel header (two bytes; the client does not check them)
        .waitFor(10)
        .andEmit(frame(1, "12")) // error channel header
        .waitFor(10)
        .andEmit(frame(0, "hello from "))
        .waitFor(10)
        .andEmit(frame(0, "the aggregator"))
        .done()
        .once();

    try (PortForwardTunnel tunnel =
        PortForwardTunnel.open(client, AggregatorLocation.of("podpath", null))) {
      assertThat(tunnel.pod()).isEqualTo("podpath-aggregator-x");
      assertThat(tunnel.target()).startsWith("127.0.0.1:");
      String[] hostPort = tunnel.target().split(":");
      try (Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
        socket.setSoTimeout(10_000);
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int n;
        while (got.size() < "hello from the aggregator".length() && (n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("hello from the aggregator");
      }
    }
  }
}
