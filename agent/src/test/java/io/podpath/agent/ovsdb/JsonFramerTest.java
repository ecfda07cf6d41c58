package io.podpath.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonFramerTest {

  private static List<String> feedBytewise(JsonFramer f, String s) {
    List<String> out = new ArrayList<>();
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      f.feed(b, i, 1).forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void splitsConcatenatedObjectsEvenAcrossReads() {
    String a = "{\"id\":1,\"result\":\"a}b{\\\"c\"}";
    String b = "{\"id\":null,\"method\":\"echo\",\"params\":[[1,{}]]}";
    assertThat(feedBytewise(new JsonFramer(1 << 20), a + "\n" + b)).containsExactly(a, b);
  }

  @Test
  void refusesOversizedMessages() {
    JsonFramer f = new JsonFramer(8);
    byte[] big = "{\"aaaaaaaaaaaaa\":1}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> f.feed(big, 0, big.length)).isInstanceOf(IllegalStateException.class);
  }
}
