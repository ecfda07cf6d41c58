package io.podpath.aggregator.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small state that makes alerting survive an aggregator restart: each alert's phase, and each
 * sink's undelivered notifications. Written atomically (temp file + rename) on every change.
 */
public final class AlertStateFile {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  /** The file's shape. */
  public record State(List<Alert> alerts, Map<String, List<Notification>> outbox) {
    public State {
      alerts = alerts == null ? List.of() : List.copyOf(alerts);
      outbox = outbox == null ? Map.of() : Map.copyOf(outbox);
    }
  }

  public record Alert(AlertKey key, AlertEngine.Entry entry) {}

  private final Path file;
  private final Map<String, List<Notification>> outbox = new LinkedHashMap<>();
  private Map<AlertKey, AlertEngine.Entry> alerts = new HashMap<>();

  private AlertStateFile(Path file) {
    this.file = file;
  }

  /** Opens (or starts) the state at {@code file}. */
  public static AlertStateFile open(Path file) throws IOException {
    AlertStateFile s = new AlertStateFile(file);
    if (Files.exists(file)) {
      State st = JSON.readValue(file.toFile(), State.class);
      st.alerts().forEach(a -> s.alerts.put(a.key(), a.entry()));
      st.outbox().forEach((k, v) -> s.outbox.put(k, new ArrayList<>(v)));
    }
    return s;
  }

  public synchronized Map<AlertKey, AlertEngine.Entry> alerts() {
    return Map.copyOf(alerts);
  }

  public synchronized List<Notification> outbox(String sink) {
    return List.copyOf(outbox.getOrDefault(sink, List.of()));
  }

  public synchronized void saveAlerts(Map<AlertKey, AlertEngine.Entry> now) throws IOException {
    alerts = new HashMap<>(now);
    write();
  }

  public synchronized void saveOutbox(String sink, List<Notification> pending) throws IOException {
    outbox.put(sink, new ArrayList<>(pending));
    write();
  }

  private void write() throws IOException {
    List<Alert> list = new ArrayList<>();
    alerts.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> list.add(new Alert(e.getKey(), e.getValue())));
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".alert-state", ".tmp");
    try {
      JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), new State(list, outbox));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
