package io.podpath.agent.ovsdb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * JSON-RPC framing (RFC 7047 and unixctl have no delimiter): any sequence of messages — with
 * braces, brackets, quotes and escapes inside strings, non-ASCII text — split at arbitrary chunk
 * boundaries comes out as exactly those messages; arbitrary bytes never make the framer throw
 * anything but its size cap.
 */
class JsonRpcFramingFuzzTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @Provide
  Arbitrary<List<String>> messages() {
    return message().list().ofMaxSize(8);
  }

  Arbitrary<String> message() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.strings().ofMaxLength(40),
            Arbitraries.of("{", "}", "[", "]", "\"", "\\", "\\\"", "{\"a\":[", "é€\uD83D\uDE00"));
    return Combinators.combine(
            Arbitraries.longs(),
            Arbitraries.of("transact", "echo", "update", "ofproto/trace"),
            text.list().ofMaxSize(6),
            Arbitraries.integers().between(0, 4))
        .as(
            (id, method, params, nesting) -> {
              ObjectNode o = JsonNodeFactory.instance.objectNode();
              o.put("id", id);
              o.put("method", method);
              var arr = o.putArray("params");
              params.forEach(arr::add);
              ObjectNode inner = o;
              for (int i = 0; i < nesting; i++) {
                inner = inner.putObject("n" + i);
                inner.putArray("l").addArray().add(params.isEmpty() ? "x" : params.get(0));
              }
              return o.toString();
            });
  }

  @Property
  void concatenatedMessagesSplitAnywhereComeBackWhole(
      @ForAll("messages") List<String> msgs,
      @ForAll @Size(min = 1, max = 20)
          List<@net.jqwik.api.constraints.IntRange(min = 1, max = 64) Integer> cuts)
      throws Exception {
    StringBuilder stream = new StringBuilder();
    for (String m : msgs) {
      stream.append(m).append(msgs.size() % 2 == 0 ? "\n" : "");
    }
    byte[] bytes = stream.toString().getBytes(StandardCharsets.UTF_8);
    JsonFramer f = new JsonFramer(1 << 20);
    List<String> out = new ArrayList<>();
    int off = 0;
    int c = 0;
    while (off < bytes.length) {
      int len = Math.min(cuts.get(c++ % cuts.size()), bytes.length - off);
      for (byte[] m : f.feed(bytes, off, len)) {
        out.add(new String(m, StandardCharsets.UTF_8));
      }
      off += len;
    }
    assertThat(out).hasSize(msgs.size());
    for (int i = 0; i < msgs.size(); i++) {
      assertThat(JSON.readTree(out.get(i))).isEqualTo(JSON.readTree(msgs.get(i)));
    }
  }

  @Property
  void arbitraryBytesOnlyEverHitTheSizeCap(@ForAll @Size(max = 4096) byte[] junk) {
    JsonFramer f = new JsonFramer(1024);
    try {
      List<byte[]> out = f.feed(junk, 0, junk.length);
      int total = out.stream().mapToInt(b -> b.length).sum();
      assertThat(total).isLessThanOrEqualTo(junk.length);
    } catch (IllegalStateException capped) {
      assertThat(capped).hasMessageContaining("larger than 1024");
    }
  }
}
