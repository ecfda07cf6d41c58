package io.podpath.agent.live;

import io.podpath.agent.netns.PacketSocket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One open capture: a {@link PacketSocket} on every interface of the agent's (the node's) network
 * namespace, read by its own thread until the deadline, then closed. Sightings are kept in order,
 * at most {@code maxPackets}.
 */
final class LiveCapture {
  private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");

  private final LiveMatch match;
  private final int maxPackets;
  private final long deadlineNanos;
  private final PacketSocket socket;
  private final CountDownLatch done = new CountDownLatch(1);
  private final List<Sighting> sightings = new ArrayList<>();
  private final Map<Integer, String> names = new HashMap<>();
  private volatile boolean stop;
  private boolean truncated;
  private Optional<String> error = Optional.empty();

  private LiveCapture(LiveMatch match, int maxPackets, Duration duration, PacketSocket socket) {
    this.match = match;
    this.maxPackets = maxPackets;
    this.deadlineNanos = System.nanoTime() + duration.toNanos();
    this.socket = socket;
  }

  /** Opens the socket (capturing from this moment) and starts the reader. */
  static LiveCapture open(LiveMatch match, int maxPackets, Duration duration) throws IOException {
    PacketSocket s = PacketSocket.open(BpfFilter.encode(BpfFilter.program(match)));
    LiveCapture c = new LiveCapture(match, maxPackets, duration, s);
    Thread t = new Thread(c::read, "live-capture");
    t.setDaemon(true);
    t.start();
    return c;
  }

  private void read() {
    try {
      long left;
      while (!stop && (left = deadlineNanos - System.nanoTime()) > 0) {
        // Short waits: a stop (agent shutdown) is noticed within 50 ms.
        Optional<PacketSocket.Frame> f =
            socket.receive(Duration.ofNanos(Math.min(left, 50_000_000L)), BpfFilter.SNAPLEN);
        if (f.isEmpty()) {
          continue;
        }
        long at = LiveCaptures.nowMicros();
        PacketSocket.Frame fr = f.get();
        String dir = fr.packetType() == 4 ? "out" : "in";
        Optional<Sighting> s = FrameDecoder.decode(fr.data(), match, at, name(fr.ifindex()), dir);
        synchronized (this) {
          if (s.isPresent() && sightings.size() < maxPackets) {
            sightings.add(s.get());
          } else if (s.isPresent()) {
            truncated = true;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        error = Optional.of(Objects.requireNonNullElse(e.getMessage(), e.toString()));
      }
    } finally {
      socket.close();
      done.countDown();
    }
  }

  /**
   * The interface's name from sysfs (the node netns's view): java.net.NetworkInterface lists only
   * interfaces with an address, and an underlay NIC in an OVS bridge or a host veth has none.
   */
  private String name(int ifindex) {
    return names.computeIfAbsent(ifindex, LiveCapture::sysfsName);
  }

  static String sysfsName(int ifindex) {
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(SYS_CLASS_NET)) {
      for (Path p : dir) {
        Path idx = p.resolve("ifindex");
        if (Files.isReadable(idx)
            && Files.readString(idx, StandardCharsets.US_ASCII)
                .strip()
                .equals(Integer.toString(ifindex))) {
          return p.getFileName().toString();
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through: the index is still a fact
    }
    return "ifindex " + ifindex;
  }

  /** Waits for the deadline (at most {@code budget}) and returns what was seen. */
  Observed await(Duration budget) throws InterruptedException {
    if (!done.await(budget.toMillis(), TimeUnit.MILLISECONDS)) {
      stop = true;
      done.await(1, TimeUnit.SECONDS);
    }
    synchronized (this) {
      return new Observed(List.copyOf(sightings), truncated, error);
    }
  }

  /** Stops the reader early; the socket closes within 50 ms. */
  void stop() {
    stop = true;
  }

  boolean closed() {
    return done.getCount() == 0;
  }
}
