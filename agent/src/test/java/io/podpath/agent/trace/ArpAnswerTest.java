package io.podpath.agent.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.podpath.agent.kernel.IpAddr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The pod's ARP request traced on the aci sandbox (hack/fixtures/cni.sh): br-int's table 5 answers
 * for the gateway with the fabric's router MAC, past the patch port from br-access.
 */
class ArpAnswerTest {
  private static String fixture(String path) throws IOException {
    try (InputStream in = ArpAnswerTest.class.getResourceAsStream("/fixtures/" + path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void theFlowsAnswerForTheGatewayWithTheRouterMac() throws IOException {
    String raw = fixture("cni/aci/arp-gateway.trace");
    assertThat(ArpAnswer.parse(raw, IpAddr.parse("t", "10.244.1.1")).map(MacAddress::toString))
        .contains("00:22:bd:f8:19:ff");
  }

  @Test
  void anAnswerForAnotherAddressIsNone() throws IOException {
    String raw = fixture("cni/aci/arp-gateway.trace");
    assertThat(ArpAnswer.parse(raw, IpAddr.parse("t", "10.244.1.9"))).isEmpty();
  }

  @Test
  void aTraceThatDoesNotAnswerIsNone() throws IOException {
    // a TCP packet's trace: no ARP reply in it
    assertThat(
            ArpAnswer.parse(
                fixture("cni/aci/same-node-allowed.trace"), IpAddr.parse("t", "10.244.1.1")))
        .isEmpty();
  }

  @Test
  void theRequestFlowCarriesOnlyTypedValues() {
    assertThat(
            ArpAnswer.requestFlow(
                2,
                MacAddress.tryParse("0a:58:0a:f4:01:04").orElseThrow(),
                IpAddr.parse("s", "10.244.1.4"),
                IpAddr.parse("t", "10.244.1.1")))
        .isEqualTo(
            "arp,in_port=2,dl_src=0a:58:0a:f4:01:04,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,"
                + "arp_spa=10.244.1.4,arp_tpa=10.244.1.1,arp_sha=0a:58:0a:f4:01:04,"
                + "arp_tha=00:00:00:00:00:00");
  }
}
