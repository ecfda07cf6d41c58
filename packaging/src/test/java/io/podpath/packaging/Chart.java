package io.podpath.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders charts/podpath with helm-java and gives the manifests as JSON trees. */
final class Chart {
  static final Path ROOT = Path.of(System.getProperty("podpath.root", "..")).normalize();
  static final Path DIR = ROOT.resolve("charts/podpath");
  static final String RELEASE = "podpath";
  static final String NAMESPACE = "podpath-system";
  static final String KUBE_VERSION = "1.30.0";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final List<JsonNode> docs;

  private Chart(List<JsonNode> docs) {
    this.docs = docs;
  }

  /** helm template with --set pairs (e.g. "aggregator.replicas" → 2). */
  static Chart render(Map<String, Object> sets) {
    TemplateCommand cmd = command();
    sets.forEach(cmd::set);
    return parse(cmd.call());
  }

  /** helm template with a values file holding this YAML. */
  static Chart renderYaml(String values) {
    try {
      Path file = Files.createTempFile("podpath-values", ".yaml");
      try {
        Files.writeString(file, values);
        return parse(command().withValuesFile(file).call());
      } finally {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Chart defaults() {
    return render(Map.of());
  }

  private static TemplateCommand command() {
    FakeApiServer.get();
    return new Helm(DIR)
        .template()
        .withName(RELEASE)
        .withNamespace(NAMESPACE)
        .withKubeVersion(KUBE_VERSION);
  }

  private static Chart parse(String manifest) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(manifest)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && doc.has("kind")) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Chart(docs);
  }

  List<JsonNode> all() {
    return docs;
  }

  List<JsonNode> all(String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  JsonNode get(String kind, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no " + kind + " " + name + " in " + kindsAndNames()));
  }

  List<String> kindsAndNames() {
    return docs.stream()
        .map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
        .collect(Collectors.toList());
  }

  JsonNode agent() {
    return get("DaemonSet", "podpath-agent");
  }

  JsonNode aggregator() {
    return get("Deployment", "podpath-aggregator");
  }

  static JsonNode container(JsonNode workload, String name) {
    for (JsonNode c : workload.at("/spec/template/spec/containers")) {
      if (c.path("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  static List<String> args(JsonNode container) {
    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    return args;
  }

  static String env(JsonNode container, String name) {
    for (JsonNode e : container.path("env")) {
      if (e.path("name").asText().equals(name)) {
        return e.path("value").asText();
      }
    }
    throw new AssertionError("no env " + name);
  }

  static String toJson(JsonNode node) {
    return node.toString();
  }
}
