package io.podpath.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol with the JDK's WebSocket: navigate,
 * evaluate, wait for a condition, screenshot. A fresh profile per instance. Used by the web page's
 * browser test and by the page benchmark (B6).
 */
public final class Chromium implements AutoCloseable {
  static final List<String> FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--remote-debugging-port=0");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  public Chromium(Path profile) throws Exception {
    this.profile = profile;
    Files.createDirectories(profile);
    List<String> argv = new java.util.ArrayList<>();
    argv.add("chromium");
    argv.addAll(FLAGS);
    argv.add("--user-data-dir=" + profile);
    argv.add("about:blank");
    process =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile())
            .start();
    Path active = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(active) || Files.readAllLines(active).size() < 2) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        close();
        throw new IllegalStateException("chromium did not start (see " + profile + ".log)");
      }
      Thread.sleep(100);
    }
    int port = Integer.parseInt(Files.readAllLines(active).get(0).trim());
    HttpClient http = HttpClient.newHttpClient();
    JsonNode targets =
        JSON.readTree(
            http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    String ws = null;
    for (JsonNode t : targets) {
      if (t.path("type").asText().equals("page")) {
        ws = t.path("webSocketDebuggerUrl").asText();
      }
    }
    if (ws == null) {
      close();
      throw new IllegalStateException("chromium has no page target");
    }
    socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(ws), new Listener())
            .get(30, TimeUnit.SECONDS);
    call("Page.enable", JSON.createObjectNode());
    call(
        "Emulation.setDeviceMetricsOverride",
        JSON.createObjectNode()
            .put("width", 1500)
            .put("height", 1000)
            .put("deviceScaleFactor", 1)
            .put("mobile", false));
  }

  public JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> f = new CompletableFuture<>();
    pending.put(id, f);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", params);
    socket.sendText(JSON.writeValueAsString(msg), true).get(30, TimeUnit.SECONDS);
    JsonNode answer = f.get(120, TimeUnit.SECONDS);
    if (answer.has("error")) {
      throw new IllegalStateException(method + ": " + answer.get("error"));
    }
    return answer.path("result");
  }

  public void navigate(String url) throws Exception {
    call("Page.navigate", JSON.createObjectNode().put("url", url));
  }

  /** The value of a JavaScript expression (promises awaited). */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", expression)
                .put("returnByValue", true)
                .put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException(expression + ": " + r.get("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  public String text(String expression) throws Exception {
    return eval(expression).asText();
  }

  /** Polls {@code condition} until it is true; fails with the page's text otherwise. */
  public void await(String condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    // While a navigation is under way there may be no document.body yet: that is "not yet".
    String guarded =
        "(() => { try { return !!(" + condition + "); } catch (e) { return false; } })()";
    while (!eval(guarded).asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "page never showed " + condition + "; it shows: " + text("document.body.innerText"));
      }
      Thread.sleep(100);
    }
  }

  public void screenshot(Path file) throws Exception {
    Files.createDirectories(file.getParent());
    JsonNode r =
        call(
            "Page.captureScreenshot",
            JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
    Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
  }

  @Override
  public void close() {
    if (socket != null) {
      socket.abort();
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(profile)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // the temporary directory goes with the test's @TempDir
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(partial.toString());
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) {
              f.complete(msg);
            }
          }
        } catch (IOException e) {
          // not ours to answer: events we do not wait for
        }
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
