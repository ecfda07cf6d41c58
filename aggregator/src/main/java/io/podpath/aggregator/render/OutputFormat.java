package io.podpath.aggregator.render;

/** The -o choices. */
public enum OutputFormat {
  text,
  json,
  yaml,
  dot,
  svg
}
