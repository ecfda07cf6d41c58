package io.podpath.proto.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Requests whose string fields hold invalid UTF-8 are decoded with U+FFFD in place of the bad bytes
 * instead of failing in the transport, which gRPC reports as UNKNOWN with no field named. The
 * replacement character then fails the field's own validation, which names it (INVALID_ARGUMENT).
 */
public final class LenientUtf8 {
  private LenientUtf8() {}

  /**
   * The same service whose request parsers tolerate invalid UTF-8 as described above, and where a
   * request that still cannot be decoded is INVALID_ARGUMENT with one log line ({@link
   * DecodedRequests}).
   */
  public static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.addMethod(method(m));
    }
    return DecodedRequests.wrap(b.build());
  }

  private static <Q, R> ServerMethodDefinition<Q, R> method(ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> md = m.getMethodDescriptor();
    if (!(md.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> pm)
        || !(pm.getMessagePrototype() instanceof Message proto)) {
      return m;
    }
    MethodDescriptor.Marshaller<Q> lenient =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(Q value) {
            return pm.stream(value);
          }

          @Override
          @SuppressWarnings("unchecked")
          public Q parse(InputStream in) {
            try {
              byte[] bytes = in.readAllBytes();
              try {
                return (Q) proto.getParserForType().parseFrom(bytes);
              } catch (InvalidProtocolBufferException e) {
                ByteString fixed =
                    sanitize(proto.getDescriptorForType(), ByteString.copyFrom(bytes));
                return (Q) proto.getParserForType().parseFrom(fixed);
              }
            } catch (IOException e) {
              throw Status.INVALID_ARGUMENT
                  .withDescription("request: not a valid message: " + e.getMessage())
                  .asRuntimeException();
            }
          }
        };
    return ServerMethodDefinition.create(
        md.toBuilder(lenient, md.getResponseMarshaller()).build(), m.getServerCallHandler());
  }

  /** Re-encodes every string field (recursively) as UTF-8 decoded with replacement. */
  static ByteString sanitize(Descriptor type, ByteString bytes) throws IOException {
    UnknownFieldSet in = UnknownFieldSet.parseFrom(bytes);
    UnknownFieldSet.Builder out = UnknownFieldSet.newBuilder();
    for (var e : in.asMap().entrySet()) {
      FieldDescriptor f = type.findFieldByNumber(e.getKey());
      UnknownFieldSet.Field field = e.getValue();
      if (f == null
          || (f.getType() != FieldDescriptor.Type.STRING
              && f.getType() != FieldDescriptor.Type.MESSAGE)) {
        out.addField(e.getKey(), field);
        continue;
      }
      UnknownFieldSet.Field.Builder fb = UnknownFieldSet.Field.newBuilder();
      field.getVarintList().forEach(fb::addVarint);
      field.getFixed32List().forEach(fb::addFixed32);
      field.getFixed64List().forEach(fb::addFixed64);
      field.getGroupList().forEach(fb::addGroup);
      for (ByteString v : field.getLengthDelimitedList()) {
        fb.addLengthDelimited(
            f.getType() == FieldDescriptor.Type.STRING
                ? ByteString.copyFromUtf8(v.toString(StandardCharsets.UTF_8))
                : sanitize(f.getMessageType(), v));
      }
      out.addField(e.getKey(), fb.build());
    }
    return out.build().toByteString();
  }
}
