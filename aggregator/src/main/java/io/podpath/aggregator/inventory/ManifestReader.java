package io.podpath.aggregator.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a Kubernetes {@code List} manifest (YAML or JSON; several YAML documents are accepted too)
 * into a {@link ClusterIndex}. Kinds other than Pod, Service, EndpointSlice, Node and NetworkPolicy
 * are ignored.
 */
public final class ManifestReader {
  /** The whole manifest: generous, but bounded (a 1,000-node dump is ~3.5 MiB). */
  static final int MAX_MANIFEST_CODE_POINTS = 256 << 20;

  /**
   * One scalar: the API server caps all of an object's annotations together at 256 KiB, so no field
   * of a real object comes near 1 MiB; a longer one is hostile, not a cluster.
   */
  static final int MAX_SCALAR_CHARS = 1 << 20;

  private static final ObjectMapper YAML =
      new ObjectMapper(YAMLFactory.builder().loaderOptions(loaderOptions()).build());

  /**
   * SnakeYAML refuses input over 3 MiB by default; {@code kubectl get -o yaml} of a cluster with a
   * few hundred nodes is larger (hack/bench's 1,000-node fleet manifest is ~3.5 MiB).
   */
  private static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setCodePointLimit(MAX_MANIFEST_CODE_POINTS);
    return o;
  }

  private static final ObjectMapper JSON =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(MAX_SCALAR_CHARS).build())
              .build());

  private ManifestReader() {}

  private static boolean looksLikeJson(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c)) {
        return c == '{' || c == '[';
      }
    }
    return false;
  }

  private static void longestLineCheck(String text) {
    int line = 1;
    int start = 0;
    for (int i = 0; i <= text.length(); i++) {
      if (i == text.length() || text.charAt(i) == '\n') {
        if (i - start > MAX_SCALAR_CHARS) {
          throw new ManifestException(
              "not valid YAML or JSON: line "
                  + line
                  + " is "
                  + (i - start)
                  + " characters long; no Kubernetes object has a field that long");
        }
        line++;
        start = i + 1;
      }
    }
  }

  public static ClusterIndex read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ManifestException("cannot read manifest " + file + ": " + e.getMessage(), e);
    }
    try {
      return parse(text);
    } catch (ManifestException e) {
      throw new ManifestException(file + ": " + e.getMessage(), e);
    }
  }

  public static ClusterIndex parse(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try {
      if (looksLikeJson(text)) {
        // Jackson's JSON parser is fast and enforces the scalar limit; kubectl -o json lands here.
        docs.add(JSON.readTree(text));
      } else {
        // SnakeYAML does not enforce Jackson's string limit and is slow on huge scalars: refuse a
        // line no Kubernetes object could produce before parsing at all.
        longestLineCheck(text);
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
          while (it.hasNextValue()) {
            JsonNode doc = it.nextValue();
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
              docs.add(doc);
            }
          }
        }
      }
    } catch (JsonProcessingException e) {
      throw new ManifestException(
          "not valid YAML or JSON: "
              + e.getOriginalMessage()
              + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()),
          e);
    } catch (IOException e) {
      throw new ManifestException("cannot parse manifest: " + e.getMessage(), e);
    }
    if (docs.isEmpty()) {
      throw new ManifestException("empty manifest: expected a Kubernetes List");
    }
    Builder b = new Builder();
    for (int d = 0; d < docs.size(); d++) {
      JsonNode doc = docs.get(d);
      String where = docs.size() > 1 ? "document " + (d + 1) : "manifest";
      if (!doc.isObject()) {
        throw new ManifestException(
            where + ": expected an object with 'kind', found " + doc.getNodeType());
      }
      String kind = doc.path("kind").asText("");
      if (kind.endsWith("List")) {
        JsonNode items = doc.get("items");
        if (items != null && !items.isNull() && !items.isArray()) {
          throw new ManifestException(
              where + ": items: expected a list, found " + items.getNodeType());
        }
        if (items != null) {
          for (int i = 0; i < items.size(); i++) {
            b.add((docs.size() > 1 ? where + " " : "") + "items[" + i + "]", items.get(i));
          }
        }
      } else {
        b.add(where, doc);
      }
    }
    return b.build();
  }

  /** Collects objects of the kinds podpath reads. */
  public static final class Builder {
    private final List<PodInfo> pods = new ArrayList<>();
    private final List<ServiceInfo> services = new ArrayList<>();
    private final List<ServiceEndpoint> endpoints = new ArrayList<>();
    private final List<NodeInfo> nodes = new ArrayList<>();
    private final List<PolicyInfo> policies = new ArrayList<>();

    public Builder add(String where, JsonNode item) {
      if (item == null || !item.isObject()) {
        throw new ManifestException(
            where
                + ": expected an object, found "
                + (item == null ? "nothing" : item.getNodeType()));
      }
      String kind = item.path("kind").asText("");
      if (kind.isEmpty()) {
        throw new ManifestException(where + ": kind: missing");
      }
      switch (kind) {
        case "Pod" -> pods.add(ObjectMapping.pod(where, item));
        case "Service" -> services.add(ObjectMapping.service(where, item));
        case "EndpointSlice" -> endpoints.addAll(ObjectMapping.endpointSlice(where, item));
        case "Node" -> nodes.add(ObjectMapping.node(where, item));
        case "NetworkPolicy" -> policies.add(ObjectMapping.networkPolicy(where, item));
        default -> {
          // Other kinds (ConfigMaps, Deployments...) do not matter to a packet.
        }
      }
      return this;
    }

    public ClusterIndex build() {
      return new ClusterIndex(pods, services, endpoints, nodes, policies);
    }
  }
}
