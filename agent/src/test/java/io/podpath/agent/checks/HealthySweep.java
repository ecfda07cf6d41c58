package io.podpath.agent.checks;

import io.podpath.proto.v1.CheckResult;
import io.podpath.testkit.Sandbox;
import io.podpath.testkit.SandboxExtension;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A sandbox test class whose sandbox is healthy: one {@link CheckMatrix} and its clean sweep. */
@ExtendWith(SandboxExtension.class)
abstract class HealthySweep {
  static CheckMatrix m;

  @BeforeAll
  static void start(Sandbox s) throws Exception {
    m = new CheckMatrix(s);
  }

  @AfterAll
  static void stop() {
    if (m != null) { // null when start() failed
      m.close();
    }
  }

  /** Every node's results, asserted free of errors and of FAILs a healthy cluster must not give. */
  static Map<String, Map<String, CheckResult>> healthySweep() throws Exception {
    m.awaitHealthy();
    Map<String, Map<String, CheckResult>> s = m.sweep();
    m.assertHealthy(s);
    return s;
  }
}
