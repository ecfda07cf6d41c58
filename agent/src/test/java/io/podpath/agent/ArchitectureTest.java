package io.podpath.agent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The agent's floors (docs/architecture.md): {@code server} and {@code grpc} are the top floor and
 * the only code that sees gRPC or the wire types; the domain under them works in records; the
 * plumbing at the bottom (process runner, namespaces, errors, ip, OVSDB, unixctl) knows nothing of
 * traces, checks or pods.
 */
class ArchitectureTest {
  private static final String ROOT = "io.podpath.agent";
  private static final String[] EDGE = {ROOT + ".grpc..", ROOT + ".server.."};
  private static final String[] PLUMBING = {
    ROOT + ".errors..",
    ROOT + ".exec..",
    ROOT + ".netns..",
    ROOT + ".ip..",
    ROOT + ".ovsdb..",
    ROOT + ".unixctl.."
  };
  private static final String[] DOMAIN = {
    ROOT + ".trace..",
    ROOT + ".checks..",
    ROOT + ".pod..",
    ROOT + ".node..",
    ROOT + ".ovn..",
    ROOT + ".kernel..",
    ROOT + ".live.."
  };

  private static final JavaClasses AGENT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  @Test
  void onlyTheEdgeSeesGrpcOrTheWireTypes() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EDGE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..", "io.podpath.proto..")
        .because("the gRPC/proto edge is the agent's top floor")
        .check(AGENT);
  }

  @Test
  void nothingUnderTheEdgeReachesUpIntoIt() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EDGE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(EDGE)
        .check(AGENT);
  }

  @Test
  void thePlumbingKnowsNoDomain() {
    noClasses()
        .that()
        .resideInAnyPackage(PLUMBING)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(DOMAIN)
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName(ROOT + ".AgentContext")
        .check(AGENT);
  }
}
