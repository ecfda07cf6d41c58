package io.podpath.aggregator;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.podpath.aggregator.agents.AgentClient;
import io.podpath.aggregator.agents.AgentException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's floors (docs/architecture.md). The edges are {@code api} (gRPC server), {@code
 * agents} (gRPC client to the agents), {@code cli} and {@code web} (HTTP); only they see gRPC or
 * the wire types. The domain under them ({@code trace}, {@code model}, {@code inventory}, {@code
 * alert}, ...) works in records and never reaches up into an edge, except through the {@code
 * agents} port ({@code AgentClient}, {@code AgentException}).
 *
 * <p>{@code render} is the presentation floor of the inbound edges: it turns the API's answers
 * (TraceResult, SweepResult, PodInspection — what the CLI receives over gRPC, in another process)
 * into text, JSON, DOT and SVG for {@code cli} and {@code web}, and only they use it. So it reads
 * the wire types, never io.grpc, and keeps no record copies of them.
 *
 * <p>{@code sweep} works in records too ({@code model}'s Check, NodeChecks, ..., its own
 * SweepReport): {@code agents} maps its calls, {@code api} its results.
 */
class ArchitectureTest {
  private static final String ROOT = "io.podpath.aggregator";
  private static final String[] EDGE = {
    ROOT + ".api..", ROOT + ".agents..", ROOT + ".cli..", ROOT + ".web.."
  };
  private static final String[] PRESENTATION = {ROOT + ".render.."};
  private static final String[] INBOUND_EDGE = {ROOT + ".api..", ROOT + ".cli..", ROOT + ".web.."};

  private static final JavaClasses AGGREGATOR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages(ROOT);

  private static String[] concat(String[] a, String[] b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void onlyTheEdgesSeeGrpc() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EDGE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.grpc..")
        .check(AGGREGATOR);
  }

  @Test
  void onlyTheEdgesSeeTheWireTypes() {
    noClasses()
        .that()
        .resideOutsideOfPackages(concat(EDGE, PRESENTATION))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.podpath.proto..")
        .because("the domain works in records; proto is mapped at api/ and agents/")
        .check(AGGREGATOR);
  }

  @Test
  void theDomainNeverReachesUpIntoAnInboundEdge() {
    noClasses()
        .that()
        .resideOutsideOfPackages(INBOUND_EDGE)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(INBOUND_EDGE)
        .check(AGGREGATOR);
  }

  @Test
  void onlyTheCliAndTheWebPageRender() {
    noClasses()
        .that()
        .resideOutsideOfPackages(ROOT + ".cli..", ROOT + ".web..", ROOT + ".render..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(PRESENTATION)
        .because("render presents the API's answers to a user; the server side never formats")
        .check(AGGREGATOR);
  }

  @Test
  void renderingIsNotAnEdge() {
    noClasses()
        .that()
        .resideInAnyPackage(PRESENTATION)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(concat(new String[] {"io.grpc.."}, EDGE))
        .because("render works on answers it is handed; it calls nothing")
        .check(AGGREGATOR);
  }

  @Test
  void theDomainUsesTheAgentsPortOnly() {
    noClasses()
        .that()
        .resideOutsideOfPackages(EDGE)
        .should()
        .dependOnClassesThat(
            resideInAPackage(ROOT + ".agents..")
                .and(not(belongToAnyOf(AgentClient.class, AgentException.class))))
        .check(AGGREGATOR);
  }

  @Test
  void theModelStandsAlone() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".model..")
        .should()
        .dependOnClassesThat(
            resideInAPackage(ROOT + "..").and(not(resideInAPackage(ROOT + ".model.."))))
        .check(AGGREGATOR);
  }

  @Test
  void theTracePlannerDoesNoIo() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + ".trace..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.vertx..", "io.netty..", "java.net.http..")
        .orShould()
        .dependOnClassesThat()
        .belongToAnyOf(Socket.class, ServerSocket.class, URL.class)
        .because("planning and stitching are pure: agents are reached through the agents port")
        .check(AGGREGATOR);
  }
}
