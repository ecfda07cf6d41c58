package io.podpath.proto.grpc;

import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request that is not a valid protobuf message is INVALID_ARGUMENT with one log line. gRPC parses
 * the request before any interceptor sees it, and a parse failure there becomes UNKNOWN
 * "Application error processing RPC" with a SEVERE stack trace per call; so each method receives
 * raw bytes here and the request is parsed (with the method's own marshaller) inside the call.
 */
final class DecodedRequests {
  private static final Logger LOG = LoggerFactory.getLogger(DecodedRequests.class);

  private DecodedRequests() {}

  static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      b.addMethod(method(m));
    }
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<byte[], R> method(ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> typed = m.getMethodDescriptor();
    MethodDescriptor<byte[], R> raw = typed.toBuilder(BYTES, typed.getResponseMarshaller()).build();
    ServerCallHandler<byte[], R> handler =
        (call, headers) -> {
          ServerCall.Listener<Q> inner =
              m.getServerCallHandler().startCall(new Typed<>(call, typed), headers);
          return new ServerCall.Listener<>() {
            private boolean refused;

            @Override
            public void onMessage(byte[] message) {
              if (refused) {
                return;
              }
              Q request;
              try {
                request = typed.parseRequest(new ByteArrayInputStream(message));
              } catch (RuntimeException e) {
                refused = true;
                String why =
                    e instanceof StatusRuntimeException s && s.getStatus().getDescription() != null
                        ? s.getStatus().getDescription()
                        : e.getClass().getSimpleName();
                LOG.warn(
                    "{}: refused a request that is not a valid protobuf message ({} bytes): {}",
                    typed.getFullMethodName(),
                    message.length,
                    why);
                call.close(
                    Status.INVALID_ARGUMENT.withDescription(
                        "request: not a valid " + typed.getFullMethodName() + " request message"),
                    new Metadata());
                inner.onCancel(); // let the handler drop what it holds for this call
                return;
              }
              inner.onMessage(request);
            }

            @Override
            public void onHalfClose() {
              if (!refused) {
                inner.onHalfClose();
              }
            }

            @Override
            public void onCancel() {
              if (!refused) {
                inner.onCancel();
              }
            }

            @Override
            public void onComplete() {
              if (!refused) {
                inner.onComplete();
              }
            }

            @Override
            public void onReady() {
              if (!refused) {
                inner.onReady();
              }
            }
          };
        };
    return ServerMethodDefinition.create(raw, handler);
  }

  /** The call as the typed handler expects it: everything but the request type is the same. */
  private static final class Typed<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<byte[], R> raw;
    private final MethodDescriptor<Q, R> method;

    Typed(ServerCall<byte[], R> raw, MethodDescriptor<Q, R> method) {
      this.raw = raw;
      this.method = method;
    }

    @Override
    public void request(int numMessages) {
      raw.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      raw.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      raw.sendMessage(message);
    }

    @Override
    public void close(Status status, Metadata trailers) {
      raw.close(status, trailers);
    }

    @Override
    public boolean isCancelled() {
      return raw.isCancelled();
    }

    @Override
    public boolean isReady() {
      return raw.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      raw.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      raw.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      raw.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return raw.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return raw.getAttributes();
    }

    @Override
    public String getAuthority() {
      return raw.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };
}
