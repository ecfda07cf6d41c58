package io.podpath.testkit;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * JUnit 5 extension that brings up a real sandbox ({@code hack/sandbox up}) and injects a {@link
 * Sandbox} into constructors, lifecycle methods and tests. One sandbox per JVM per configuration,
 * shared by every test class that asks for it and torn down when the whole run ends (also when
 * tests fail; a shutdown hook covers a dying JVM).
 *
 * <p>A sandbox that cannot come up FAILS the tests, unless {@code -Dpodpath.sandbox.skip=true} is
 * given, which skips them instead. System properties {@code podpath.sandbox.prefix} / {@code
 * podpath.sandbox.index} pin the names when the annotation leaves them empty; {@code
 * podpath.sandbox.apps=false} never starts agents or the aggregator.
 */
public final class SandboxExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        ParameterResolver,
        TestExecutionExceptionHandler {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(SandboxExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    sandbox(context);
  }

  /**
   * A test on a shared sandbox whose OVS/OVN daemon died fails at once, naming it: otherwise each
   * of its calls waits out its deadline on a node that no longer forwards anything.
   */
  @Override
  public void beforeEach(ExtensionContext context) {
    if (Boolean.getBoolean("podpath.sandbox.skip")) {
      return;
    }
    Holder h = context.getRoot().getStore(NS).get(specFor(context), Holder.class);
    List<String> dead = h == null ? List.of() : h.deadSwitching();
    if (!dead.isEmpty()) {
      throw new AssertionError("the sandbox broke before this test: " + String.join("; ", dead));
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == Sandbox.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    return sandbox(ec);
  }

  /**
   * A failing test on a sandbox whose daemon died says so in its message (with the daemon's last
   * log lines): otherwise every later test on the shared sandbox fails with "connection refused".
   */
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
    if (t instanceof TestAbortedException || Boolean.getBoolean("podpath.sandbox.skip")) {
      throw t;
    }
    Holder h = context.getRoot().getStore(NS).get(specFor(context), Holder.class);
    List<String> dead = h == null ? List.of() : h.deadDaemons();
    if (dead.isEmpty()) {
      throw t;
    }
    throw new AssertionError(
        t.getMessage() + "\n[the sandbox is broken: " + String.join("; ", dead) + "]", t);
  }

  private static Sandbox sandbox(ExtensionContext context) {
    if (Boolean.getBoolean("podpath.sandbox.skip")) {
      throw new TestAbortedException("sandbox tests skipped: -Dpodpath.sandbox.skip=true");
    }
    SandboxSpec spec = specFor(context);
    Holder h =
        context
            .getRoot()
            .getStore(NS)
            .getOrComputeIfAbsent(spec, s -> new Holder(spec), Holder.class);
    return h.get();
  }

  static SandboxSpec specFor(ExtensionContext context) {
    Optional<SandboxConfig> cfg =
        context
            .getTestClass()
            .flatMap(c -> AnnotationSupport.findAnnotation(c, SandboxConfig.class));
    SandboxSpec spec = cfg.map(SandboxSpec::of).orElseGet(SandboxSpec::defaults);
    String prefix = System.getProperty("podpath.sandbox.prefix", "");
    if (spec.prefix().isEmpty() && !prefix.isEmpty()) {
      spec = spec.withName(prefix, Integer.getInteger("podpath.sandbox.index", 0));
    }
    if ("false".equals(System.getProperty("podpath.sandbox.apps"))) {
      spec = spec.withApps(false);
    }
    return spec;
  }

  /** Lazily started sandbox kept in the root store; JUnit closes it when the run ends. */
  static final class Holder implements AutoCloseable {
    private final SandboxSpec spec;
    private Sandbox sandbox;
    private RuntimeException failure;

    Holder(SandboxSpec spec) {
      this.spec = spec;
    }

    synchronized Sandbox get() {
      if (sandbox == null && failure == null) {
        if (!isRoot()) {
          failure =
              new ExtensionConfigurationException(
                  "the sandbox needs root (network namespaces, OVS)");
        } else {
          try {
            sandbox = Sandbox.up(spec);
          } catch (RuntimeException e) {
            failure =
                new ExtensionConfigurationException(
                    "sandbox did not come up: " + e.getMessage(), e);
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return sandbox;
    }

    synchronized List<String> deadDaemons() {
      return sandbox == null ? List.of() : DeadDaemons.in(sandbox.stateDir());
    }

    synchronized List<String> deadSwitching() {
      return sandbox == null ? List.of() : DeadDaemons.switching(sandbox.stateDir());
    }

    private static boolean isRoot() {
      return "root".equals(System.getProperty("user.name"));
    }

    @Override
    public synchronized void close() {
      if (sandbox != null) {
        sandbox.down();
      }
    }
  }
}
