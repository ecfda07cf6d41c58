package io.podpath.proto.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** House rules of the contract that protoc does not check. */
class ProtoContractTest {

  private static final List<FileDescriptor> FILES =
      List.of(
          CommonProto.getDescriptor(), AgentProto.getDescriptor(), AggregatorProto.getDescriptor());

  @Test
  void everyFileIsInTheVersionedPackage() {
    for (FileDescriptor file : FILES) {
      assertThat(file.getPackage()).as(file.getName()).isEqualTo("podpath.v1");
    }
  }

  @Test
  void everyEnumStartsWithUnspecifiedZero() {
    List<EnumDescriptor> enums = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      enums.addAll(file.getEnumTypes());
      file.getMessageTypes().forEach(m -> collectEnums(m, enums));
    }
    assertThat(enums).isNotEmpty();
    for (EnumDescriptor e : enums) {
      assertThat(e.getValues().get(0).getNumber()).as(e.getFullName()).isZero();
      assertThat(e.getValues().get(0).getName()).as(e.getFullName()).endsWith("_UNSPECIFIED");
    }
  }

  @Test
  void everyRpcDocumentsItsStatusCodes() throws IOException {
    Pattern rpc = Pattern.compile("^\\s*rpc\\s+(\\w+)\\(", Pattern.MULTILINE);
    int seen = 0;
    try (Stream<Path> protos = Files.walk(Path.of("src/main/proto"))) {
      for (Path proto : protos.filter(p -> p.toString().endsWith(".proto")).toList()) {
        List<String> lines = Files.readAllLines(proto);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = rpc.matcher(lines.get(i));
          if (!m.find()) {
            continue;
          }
          seen++;
          StringBuilder comment = new StringBuilder();
          for (int j = i - 1; j >= 0 && lines.get(j).trim().startsWith("//"); j--) {
            comment.insert(0, lines.get(j));
          }
          assertThat(comment.toString())
              .as("rpc %s in %s must document its status codes", m.group(1), proto)
              .contains("Errors:");
        }
      }
    }
    int declared = 0;
    for (FileDescriptor file : FILES) {
      for (var service : file.getServices()) {
        for (MethodDescriptor ignored : service.getMethods()) {
          declared++;
        }
      }
    }
    assertThat(seen).isEqualTo(declared).isPositive();
  }

  private static void collectEnums(Descriptor message, List<EnumDescriptor> into) {
    into.addAll(message.getEnumTypes());
    message.getNestedTypes().forEach(n -> collectEnums(n, into));
  }
}
