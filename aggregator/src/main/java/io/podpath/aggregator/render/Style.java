package io.podpath.aggregator.render;

/** ANSI colour, or none: off when NO_COLOR is set (any value) or the output is not a terminal. */
public record Style(boolean color) {
  public static final Style PLAIN = new Style(false);

  public static Style detect(java.util.Map<String, String> env, boolean terminal) {
    String noColor = env.get("NO_COLOR");
    return new Style(terminal && (noColor == null || noColor.isEmpty()));
  }

  String green(String s) {
    return wrap("32", s);
  }

  String red(String s) {
    return wrap("31", s);
  }

  String yellow(String s) {
    return wrap("33", s);
  }

  String bold(String s) {
    return wrap("1", s);
  }

  String dim(String s) {
    return wrap("2", s);
  }

  private String wrap(String code, String s) {
    return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
  }
}
