package io.podpath.agent.ovsdb;

import com.google.common.net.InetAddresses;
import io.podpath.agent.errors.InvalidArgumentException;
import io.podpath.common.HostPort;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a JSON-RPC peer listens, in OVS's own notation: {@code unix:/path} or {@code tcp:IP:PORT}
 * ({@code tcp:[v6]:PORT} for IPv6). ssl: remotes are rejected: the agent has no OVS client
 * certificate.
 */
public record Remote(Optional<Path> unixPath, Optional<InetSocketAddress> tcp) {

  public static Remote unix(Path path) {
    return new Remote(Optional.of(path), Optional.empty());
  }

  /** Parses {@code unix:PATH}, {@code tcp:IP:PORT}, or a bare absolute path. */
  public static Remote parse(String text) {
    if (text.startsWith("/")) {
      return unix(Path.of(text));
    }
    if (text.startsWith("unix:") && text.length() > 5) {
      return unix(Path.of(text.substring(5)));
    }
    if (text.startsWith("tcp:")) {
      String rest = text.substring(4);
      int colon = rest.lastIndexOf(':');
      if (colon <= 0) {
        throw new InvalidArgumentException("remote", "expected tcp:IP:PORT, got " + text);
      }
      String host = rest.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port;
      try {
        port = Integer.parseInt(rest.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new InvalidArgumentException("remote", "bad port in " + text);
      }
      if (port < 1 || port > 65535) {
        throw new InvalidArgumentException("remote", "port out of range in " + text);
      }
      if (!InetAddresses.isInetAddress(host)) {
        throw new InvalidArgumentException("remote", "not an IP literal in " + text);
      }
      return new Remote(
          Optional.empty(),
          Optional.of(new InetSocketAddress(InetAddresses.forString(host), port)));
    }
    throw new InvalidArgumentException(
        "remote", "unsupported remote (want unix: or tcp:): " + text);
  }

  /**
   * OVN's ovn-remote may list several remotes separated by commas; returns the first one we can
   * speak (unix: or tcp:).
   */
  public static Optional<Remote> firstSupported(String list) {
    for (String part : list.split(",")) {
      String p = part.strip();
      if (p.startsWith("unix:") || p.startsWith("tcp:")) {
        try {
          return Optional.of(parse(p));
        } catch (InvalidArgumentException e) {
          // try the next one
        }
      }
    }
    return Optional.empty();
  }

  ProtocolFamily family() {
    if (unixPath.isPresent()) {
      return StandardProtocolFamily.UNIX;
    }
    return tcp.orElseThrow().getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6
        : StandardProtocolFamily.INET;
  }

  SocketAddress address() {
    return unixPath
        .<SocketAddress>map(UnixDomainSocketAddress::of)
        .orElseGet(() -> tcp.orElseThrow());
  }

  @Override
  public String toString() {
    if (unixPath.isPresent()) {
      return "unix:" + unixPath.get();
    }
    InetSocketAddress a = tcp.orElseThrow();
    String ip = InetAddresses.toAddrString(a.getAddress());
    return "tcp:" + HostPort.of(ip, a.getPort());
  }
}
