package io.podpath.agent.checks;

/** What a check read or ran ({@code source}: a path, sysctl or command line) and what it saw. */
public record Evidence(String source, String value) {
  public Evidence {
    source = source == null ? "" : source;
    value = value == null ? "" : value;
  }
}
