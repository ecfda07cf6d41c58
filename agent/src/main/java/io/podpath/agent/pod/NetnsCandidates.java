package io.podpath.agent.pod;

import io.podpath.agent.netns.NetnsExecutor;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Network namespaces a pod could live in: the named ones (/var/run/netns/*, where CNI runtimes
 * bind-mount them) and every process's /proc/PID/ns/net, one path per namespace (by inode).
 */
final class NetnsCandidates {
  static final Path NAMED_DIR = Path.of("/var/run/netns");

  private NetnsCandidates() {}

  /** Candidates, named ones first, excluding the namespaces whose inodes are given. */
  static List<Path> list(Set<Long> excludeInodes) {
    Set<Long> seen = new HashSet<>(excludeInodes);
    List<Path> out = new ArrayList<>();
    addAll(out, seen, NAMED_DIR, "*");
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        add(out, seen, p.resolve("ns/net"));
      }
    } catch (IOException e) {
      // /proc unreadable: the named ones are all we have
    }
    return out;
  }

  private static void addAll(List<Path> out, Set<Long> seen, Path dir, String glob) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
      List<Path> sorted = new ArrayList<>();
      ds.forEach(sorted::add);
      sorted.sort(null);
      sorted.forEach(p -> add(out, seen, p));
    } catch (IOException e) {
      // unreadable directory: nothing to add
    }
  }

  private static void add(List<Path> out, Set<Long> seen, Path p) {
    try {
      if (seen.add(NetnsExecutor.inode(p))) {
        out.add(p);
      }
    } catch (IOException | RuntimeException e) {
      // a process that exited, or a stale mount: skip it
    }
  }
}
