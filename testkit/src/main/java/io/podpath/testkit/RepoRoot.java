package io.podpath.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the repository root: the nearest ancestor of the working directory holding hack/sandbox.
 */
final class RepoRoot {
  private RepoRoot() {}

  static Path locate() {
    String override = System.getProperty("podpath.repo.root");
    if (override != null && !override.isBlank()) {
      return check(Path.of(override).toAbsolutePath());
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("hack/sandbox"))) {
        return p;
      }
    }
    throw new SandboxException(
        "cannot find hack/sandbox above "
            + Path.of("").toAbsolutePath()
            + " (set -Dpodpath.repo.root)");
  }

  private static Path check(Path root) {
    if (!Files.isExecutable(root.resolve("hack/sandbox"))) {
      throw new SandboxException("no executable hack/sandbox under " + root);
    }
    return root;
  }
}
