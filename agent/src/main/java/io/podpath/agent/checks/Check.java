package io.podpath.agent.checks;

/**
 * One health check. Implementations read facts through the {@link CheckContext} ports and never
 * throw for a fact they cannot read: they answer UNKNOWN with the reason instead.
 */
public interface Check {
  String id();

  CheckResult run(CheckContext ctx);
}
