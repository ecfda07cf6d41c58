package io.podpath.agent.checks;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reading facts with their evidence recorded, shared by the checks. */
final class Reads {
  /** Linux interface names: what may be put into a /proc path or a command line. */
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.@:-]{1,15}");

  private static final int EVIDENCE_CAP = 600;

  private Reads() {}

  static boolean validIfname(String name) {
    return name != null && IFNAME.matcher(name).matches() && !name.contains("..");
  }

  /** A host file, trimmed; empty when it does not exist (e.g. a sysctl of an absent facility). */
  static Optional<String> file(CheckContext ctx, Findings f, String path) throws AccessException {
    try {
      String v = ctx.host().readFile(path).trim();
      f.evidence(path, v);
      return Optional.of(v);
    } catch (AccessException e) {
      if (e.kind() == AccessException.Kind.NOT_FOUND) {
        f.evidence(path, "absent");
        return Optional.empty();
      }
      throw e;
    }
  }

  /** A host command; its command line, exit code and (capped) output become evidence. */
  static CommandOutput run(CheckContext ctx, Findings f, List<String> argv) throws AccessException {
    CommandOutput out = ctx.host().run(argv);
    f.evidence(out.commandLine(), summary(out));
    return out;
  }

  static String summary(CommandOutput out) {
    String text = out.ok() ? out.stdout() : "exit " + out.exitCode() + ": " + out.stderr().trim();
    text = text.strip();
    return text.length() <= EVIDENCE_CAP ? text : text.substring(0, EVIDENCE_CAP) + "…";
  }

  /** Tool ran and failed: a typed error carrying exit status and stderr. */
  static AccessException failed(CommandOutput out) {
    return new AccessException(
        AccessException.Kind.FAILED,
        out.commandLine() + " exited " + out.exitCode() + ": " + out.stderr().trim());
  }
}
