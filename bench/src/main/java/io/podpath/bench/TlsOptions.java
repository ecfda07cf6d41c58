package io.podpath.bench;

import io.grpc.ChannelCredentials;
import io.grpc.ServerCredentials;
import io.podpath.tls.PodpathTls;
import io.podpath.tls.TlsFiles;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** mTLS files shared by the tools that talk to agents or act as agents. */
public final class TlsOptions {
  @Option(names = "--tls-cert", required = true, paramLabel = "FILE")
  Path cert;

  @Option(names = "--tls-key", required = true, paramLabel = "FILE")
  Path key;

  @Option(names = "--tls-ca", required = true, paramLabel = "FILE")
  Path ca;

  @Option(
      names = "--server-name",
      paramLabel = "NAME",
      description = "Name the agent certificate must carry (default: the address dialled)")
  String serverName;

  ChannelCredentials client() {
    return PodpathTls.channelCredentials(
        new TlsFiles(cert, key, ca), Optional.ofNullable(serverName));
  }

  ServerCredentials server() {
    return PodpathTls.serverCredentials(new TlsFiles(cert, key, ca));
  }
}
