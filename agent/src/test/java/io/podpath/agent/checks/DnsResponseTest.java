package io.podpath.agent.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResponseTest {
  static final String NAME = DnsCheck.QUESTION;
  static final int ID = 0x1234;

  /** Header + the query's question, flags and counts as given. */
  static ByteArrayOutputStream header(int flags, int qd, int an) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] q = DnsQuery.build(ID, NAME);
    b.write(ID >> 8);
    b.write(ID);
    b.write(flags >> 8);
    b.write(flags);
    b.writeBytes(new byte[] {0, (byte) qd, 0, (byte) an, 0, 0, 0, 0});
    b.write(q, 12, q.length - 12);
    return b;
  }

  static DnsResponse parse(ByteArrayOutputStream b) {
    byte[] m = b.toByteArray();
    return DnsResponse.parse(m, m.length, ID, NAME);
  }

  @Test
  void anAnswerForTheNameAsked() {
    ByteArrayOutputStream b = header(0x8180, 1, 1);
    // pointer to the question's name, A IN, TTL 30, 10.96.0.1
    b.writeBytes(HexFormat.of().parseHex("c00c00010001" + "0000001e" + "0004" + "0a600001"));
    assertThat(parse(b)).isEqualTo(new DnsResponse.Valid(0, List.of("10.96.0.1"), 1));
  }

  @Test
  void anAaaaQuestionAndItsAnswer() {
    byte[] q = DnsQuery.build(ID, NAME, DnsResponse.TYPE_AAAA);
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.writeBytes(HexFormat.of().parseHex("12348180" + "0001000100000000"));
    b.write(q, 12, q.length - 12);
    // pointer to the question's name, AAAA IN, TTL 30, fd00:10:96::1
    b.writeBytes(
        HexFormat.of()
            .parseHex("c00c001c0001" + "0000001e" + "0010" + "fd000010009600000000000000000001"));
    byte[] m = b.toByteArray();
    assertThat(DnsResponse.parse(m, m.length, ID, NAME, DnsResponse.TYPE_AAAA))
        .isEqualTo(new DnsResponse.Valid(0, List.of("fd00:10:96::1"), 1));
    // the same bytes answer no A question
    assertThat(DnsResponse.parse(m, m.length, ID, NAME)).isInstanceOf(DnsResponse.Malformed.class);
  }

  @Test
  void anIpv6ServerIsAskedAaaa() throws Exception {
    assertThat(DnsQuery.questionType(java.net.InetAddress.getByName("fd00:10:96::a")))
        .isEqualTo(DnsResponse.TYPE_AAAA);
    assertThat(DnsQuery.questionType(java.net.InetAddress.getByName("10.96.0.10")))
        .isEqualTo(DnsResponse.TYPE_A);
  }

  @Test
  void aCnameChainIsFollowedToTheAddress() {
    ByteArrayOutputStream b = header(0x8180, 1, 2);
    // NAME CNAME x.<name> ; x.<name> A 10.0.0.7
    b.writeBytes(HexFormat.of().parseHex("c00c00050001" + "0000001e" + "0004" + "0178c00c"));
    int target = b.size() - 4;
    b.writeBytes(
        HexFormat.of()
            .parseHex(String.format("c%03x00010001", target) + "0000001e" + "0004" + "0a000007"));
    assertThat(parse(b)).isEqualTo(new DnsResponse.Valid(0, List.of("10.0.0.7"), 2));
  }

  @Test
  void aQueryEchoedBackIsNoResponse() {
    byte[] q = DnsQuery.build(ID, NAME);
    assertThat(DnsResponse.parse(q, q.length, ID, NAME))
        .isInstanceOf(DnsResponse.Malformed.class)
        .asString()
        .contains("QR bit clear");
  }

  @Test
  void garbageAfterAHeaderThatPromisesAnAnswer() {
    // what hack/lib/responder.py sends under `hack/sandbox break dns-garbage`
    byte[] m = HexFormat.of().parseHex("123481800001000100000000ff67617262616765" + "00");
    assertThat(DnsResponse.parse(m, m.length, ID, NAME)).isInstanceOf(DnsResponse.Malformed.class);
  }

  @Test
  void nxdomainAndServfailAreValidWithTheirCode() {
    DnsResponse nx = parse(header(0x8183, 1, 0));
    assertThat(nx).isEqualTo(new DnsResponse.Valid(3, List.of(), 0));
    assertThat(((DnsResponse.Valid) nx).rcodeName()).isEqualTo("NXDOMAIN");
    assertThat(((DnsResponse.Valid) parse(header(0x8182, 1, 0))).rcodeName()).isEqualTo("SERVFAIL");
  }

  @Test
  void anotherQuestionOrATruncatedAnswerOrAForwardPointerIsMalformed() {
    byte[] other = DnsQuery.build(ID, "example.org");
    other[2] = (byte) 0x81;
    assertThat(DnsResponse.parse(other, other.length, ID, NAME))
        .isInstanceOf(DnsResponse.Malformed.class);
    ByteArrayOutputStream cut = header(0x8180, 1, 1);
    cut.writeBytes(HexFormat.of().parseHex("c00c0001000100"));
    assertThat(parse(cut)).isInstanceOf(DnsResponse.Malformed.class);
    ByteArrayOutputStream loop = header(0x8180, 1, 1);
    loop.writeBytes(HexFormat.of().parseHex("c0ff00010001"));
    assertThat(parse(loop)).isInstanceOf(DnsResponse.Malformed.class);
  }

  @Test
  void everyPrefixOfAValidResponseIsMalformedNeverAnException() {
    ByteArrayOutputStream b = header(0x8180, 1, 1);
    b.writeBytes(HexFormat.of().parseHex("c00c00010001" + "0000001e" + "0004" + "0a600001"));
    byte[] m = b.toByteArray();
    for (int len = 0; len < m.length; len++) {
      assertThat(DnsResponse.parse(m, len, ID, NAME))
          .as("len " + len)
          .isInstanceOf(DnsResponse.Malformed.class);
    }
  }
}
