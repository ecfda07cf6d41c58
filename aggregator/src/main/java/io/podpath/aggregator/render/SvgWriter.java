package io.podpath.aggregator.render;

import java.util.Locale;

/**
 * Appends SVG elements with escaped text. Presentation attributes only (no {@code <style>}, no
 * {@code style=}), so the picture shows the same inline in a page whose Content-Security-Policy
 * forbids inline styles as it does in a file.
 */
final class SvgWriter {
  static final String FONT = "DejaVu Sans Mono, Menlo, Consolas, monospace";

  /** Width of one character of the 11 px monospace font, for layout without a font engine. */
  static final double CHAR_W = 6.7;

  private final StringBuilder sb = new StringBuilder();

  SvgWriter open(String tag, String... attributes) {
    sb.append('<').append(tag);
    attrs(attributes);
    sb.append(">\n");
    return this;
  }

  SvgWriter close(String tag) {
    sb.append("</").append(tag).append(">\n");
    return this;
  }

  SvgWriter empty(String tag, String... attributes) {
    sb.append('<').append(tag);
    attrs(attributes);
    sb.append("/>\n");
    return this;
  }

  SvgWriter rect(double x, double y, double w, double h, String fill, String stroke, double sw) {
    return empty(
        "rect",
        "x",
        n(x),
        "y",
        n(y),
        "width",
        n(w),
        "height",
        n(h),
        "rx",
        "5",
        "fill",
        fill,
        "stroke",
        stroke,
        "stroke-width",
        n(sw));
  }

  /**
   * A line of text cut to {@code maxChars}; when cut, the whole text is its tooltip ({@code
   * <title>}).
   */
  SvgWriter text(
      double x, double y, String text, int maxChars, String fill, boolean bold, String cls) {
    String shown = cut(text, maxChars);
    sb.append("<text x=\"")
        .append(n(x))
        .append("\" y=\"")
        .append(n(y))
        .append("\" font-family=\"")
        .append(FONT)
        .append("\" font-size=\"11\" fill=\"")
        .append(fill)
        .append('"');
    if (bold) {
      sb.append(" font-weight=\"bold\"");
    }
    if (!cls.isEmpty()) {
      sb.append(" class=\"").append(cls).append('"');
    }
    sb.append('>');
    if (!shown.equals(text)) {
      sb.append("<title>").append(escape(text)).append("</title>");
    }
    sb.append(escape(shown)).append("</text>\n");
    return this;
  }

  /** A horizontal arrow from x1 to x2 at y. */
  SvgWriter arrow(double x1, double x2, double y, String colour) {
    return empty(
        "line",
        "x1",
        n(x1),
        "y1",
        n(y),
        "x2",
        n(x2 - 2),
        "y2",
        n(y),
        "stroke",
        colour,
        "stroke-width",
        "1.6",
        "marker-end",
        "url(#podpath-arrow)");
  }

  String done() {
    return sb.toString();
  }

  static String cut(String text, int maxChars) {
    if (maxChars < 2 || text.length() <= maxChars) {
      return text;
    }
    return text.substring(0, maxChars - 1) + "…";
  }

  static int chars(double width) {
    return (int) Math.floor(width / CHAR_W);
  }

  static String n(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
  }

  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> {
          // XML 1.0 forbids most control characters even escaped: show them as U+FFFD.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            b.append('\uFFFD');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }

  private void attrs(String... attributes) {
    for (int i = 0; i + 1 < attributes.length; i += 2) {
      sb.append(' ')
          .append(attributes[i])
          .append("=\"")
          .append(escape(attributes[i + 1]))
          .append('"');
    }
  }
}
