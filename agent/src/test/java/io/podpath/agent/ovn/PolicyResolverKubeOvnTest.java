package io.podpath.agent.ovn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.podpath.agent.ovsdb.OvsdbRow;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Kube-OVN's ACLs name no policy; the port group holding the ACL does ({@code np=NS/NAME}). Rows in
 * OVSDB's wire notation, as the kube-ovn sandbox's Northbound returns them.
 */
class PolicyResolverKubeOvnTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ACL = "5b1d6a1e-7f1c-4f0e-9a55-3f0d2c1b9e01";

  private static OvsdbRow row(String json) throws Exception {
    Map<String, JsonNode> cols =
        JSON.convertValue(
            JSON.readTree(json),
            JSON.getTypeFactory().constructMapType(Map.class, String.class, JsonNode.class));
    return new OvsdbRow(cols);
  }

  private static AclInfo acl() {
    return new AclInfo(
        ACL,
        "drop",
        "to-lport",
        "outport==@deny.ingress.web.2.default && ip",
        OptionalInt.of(2000),
        "deny.ingress.web.2.default",
        Map.of());
  }

  @Test
  void thePortGroupHoldingTheAclNamesThePolicy() throws Exception {
    OvsdbRow pg =
        row(
            "{\"_uuid\":[\"uuid\",\"0c9f3b52-1111-4222-8333-944455556666\"],"
                + "\"name\":\"deny.ingress.web.2.default\","
                + "\"acls\":[\"uuid\",\""
                + ACL
                + "\"],"
                + "\"ports\":[\"set\",[]],"
                + "\"external_ids\":[\"map\",[[\"np\",\"default/deny-ingress-web-2\"]]]}");
    Northbound nb = Northbound.ofRows(List.of(), List.of(), List.of(pg), List.of());
    assertThat(PolicyResolver.fromAcl(acl(), Optional.empty(), Optional.of(nb)))
        .containsExactly(
            new PolicyRef("default", "deny-ingress-web-2", PolicyRef.Direction.INGRESS));
  }

  @Test
  void aGroupWithoutThePolicyKeyOrWithoutTheAclNamesNothing() throws Exception {
    OvsdbRow other =
        row(
            "{\"_uuid\":[\"uuid\",\"0c9f3b52-1111-4222-8333-944455556667\"],"
                + "\"name\":\"other\",\"acls\":[\"set\",[]],\"ports\":[\"set\",[]],"
                + "\"external_ids\":[\"map\",[[\"np\",\"default/other\"]]]}");
    OvsdbRow noKey =
        row(
            "{\"_uuid\":[\"uuid\",\"0c9f3b52-1111-4222-8333-944455556668\"],"
                + "\"name\":\"nokey\",\"acls\":[\"uuid\",\""
                + ACL
                + "\"],\"ports\":[\"set\",[]],\"external_ids\":[\"map\",[]]}");
    Northbound nb = Northbound.ofRows(List.of(), List.of(), List.of(other, noKey), List.of());
    assertThat(PolicyResolver.fromAcl(acl(), Optional.empty(), Optional.of(nb))).isEmpty();
  }
}
