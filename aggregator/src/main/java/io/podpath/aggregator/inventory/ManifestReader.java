package io.podpath.aggregator.inventory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * Streams the manifest: each item of a List is mapped as soon as it is read, so memory holds one
   * item's tree at a time, not the whole List's (at 15,000 nodes that tree alone overflowed the
   * chart's 256 MiB heap). Other documents are mapped once their number is known.
   */
  public static ClusterIndex parse(String text) {
    Builder b = new Builder();
    List<Map.Entry<Integer, JsonNode>> others = new ArrayList<>();
    int docs = 0;
    try {
      // Jackson's JSON parser is fast and enforces the scalar limit; kubectl -o json lands there.
      boolean json = looksLikeJson(text);
      if (!json) {
        // SnakeYAML does not enforce Jackson's string limit and is slow on huge scalars: refuse a
        // line no Kubernetes object could produce before parsing at all.
        longestLineCheck(text);
      }
      ObjectMapper m = json ? JSON : YAML;
      try (JsonParser p = m.createParser(text)) {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
          if (t == JsonToken.START_ARRAY && !json && docs == 0) {
            // a top-level YAML sequence: one document per element, as Jackson's readValues did
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
              docs = next(m, p, t, docs, b, others);
            }
          } else {
            docs = next(m, p, t, docs, b, others);
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
    if (docs == 0) {
      throw new ManifestException("empty manifest: expected a Kubernetes List");
    }
    for (Map.Entry<Integer, JsonNode> d : others) {
      b.add(docs > 1 ? "document " + d.getKey() : "manifest", d.getValue());
    }
    return b.build();
  }

  /** The document starting at token {@code t}; returns the number of documents read so far. */
  private static int next(
      ObjectMapper m,
      JsonParser p,
      JsonToken t,
      int docs,
      Builder b,
      List<Map.Entry<Integer, JsonNode>> others)
      throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      return docs; // an empty YAML document
    }
    int n = docs + 1;
    if (t != JsonToken.START_OBJECT) {
      JsonNode doc = m.readTree(p);
      throw new ManifestException(
          (n > 1 ? "document " + n : "manifest")
              + ": expected an object with 'kind', found "
              + doc.getNodeType());
    }
    document(m, p, n, b).ifPresent(others::add);
    return n;
  }

  /**
   * One document, the parser on its opening brace: a List's items go to {@code b} as they are read
   * (named "items[i]", with "document n " before from the second document on); any other document
   * is returned whole (without its items) to be mapped at the end.
   */
  private static Optional<Map.Entry<Integer, JsonNode>> document(
      ObjectMapper m, JsonParser p, int n, Builder b) throws IOException {
    ObjectNode head = m.createObjectNode();
    Builder items = new Builder();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals("items") && value == JsonToken.START_ARRAY) {
        String prefix = n > 1 ? "document " + n + " " : "";
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(prefix + "items[" + i++ + "]", m.readTree(p));
        }
      } else {
        head.set(field, m.readTree(p));
      }
    }
    if (!head.path("kind").asText("").endsWith("List")) {
      return Optional.of(Map.entry(n, head));
    }
    JsonNode notAList = head.get("items");
    if (notAList != null && !notAList.isNull()) {
      throw new ManifestException(
          (n > 1 ? "document " + n : "manifest")
              + ": items: expected a list, found "
              + notAList.getNodeType());
    }
    b.addAll(items);
    return Optional.empty();
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

    private void addAll(Builder o) {
      pods.addAll(o.pods);
      services.addAll(o.services);
      endpoints.addAll(o.endpoints);
      nodes.addAll(o.nodes);
      policies.addAll(o.policies);
    }

    public ClusterIndex build() {
      return new ClusterIndex(pods, services, endpoints, nodes, policies);
    }
  }
}
