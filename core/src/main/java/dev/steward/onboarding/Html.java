package dev.steward.onboarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough HTML reading for the content checks: visible text and links. Not a parser, but a
 * single forward scan: a sample with unclosed tags costs time in proportion to its length (a
 * regular expression that looks ahead for each closing tag made a 100 KB sample take seconds).
 */
final class Html {
  private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')]+");

  private Html() {}

  static String toText(String html) {
    StringBuilder out = new StringBuilder(html.length());
    int i = 0;
    int n = html.length();
    while (i < n) {
      char c = html.charAt(i);
      if (c != '<') {
        out.append(c);
        i++;
        continue;
      }
      int close = html.indexOf('>', i + 1);
      if (close < 0) {
        break; // an unclosed tag hides the rest, as in a browser
      }
      String name = tagName(html, i + 1, close);
      boolean opening = html.charAt(i + 1) != '/';
      out.append(' ');
      i = close + 1;
      if (opening && (name.equals("style") || name.equals("script"))) {
        int end = indexOfIgnoreCase(html, "</" + name, i);
        i = end < 0 ? n : Math.max(i, html.indexOf('>', end) < 0 ? n : html.indexOf('>', end) + 1);
      }
    }
    String t =
        out.toString()
            .replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
    return t.replaceAll("\\s+", " ").strip();
  }

  /** The lower-case name of the tag whose text runs from {@code from} to {@code to}. */
  private static String tagName(String html, int from, int to) {
    int a = from;
    while (a < to && html.charAt(a) == '/') {
      a++;
    }
    int b = a;
    while (b < to && Character.isLetterOrDigit(html.charAt(b))) {
      b++;
    }
    return html.substring(a, b).toLowerCase(Locale.ROOT);
  }

  private static int indexOfIgnoreCase(String s, String needle, int from) {
    for (int i = Math.max(0, from); i + needle.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }

  /** A link: where it goes and the text it shows. */
  record Link(String href, String text) {}

  /** The links of the email: anchors of the HTML, and bare URLs of the text body. */
  static List<Link> links(SampleEmail e) {
    List<Link> links = new ArrayList<>();
    e.html().ifPresent(h -> anchors(h, links));
    e.text()
        .ifPresent(
            t -> {
              Matcher m = URL.matcher(t);
              while (m.find()) {
                links.add(new Link(m.group(), m.group()));
              }
            });
    return links;
  }

  /** Every {@code <a href>} of the HTML, its href quoted or not, with the text it shows. */
  private static void anchors(String html, List<Link> into) {
    int i = 0;
    int n = html.length();
    while (i < n) {
      int open = html.indexOf('<', i);
      if (open < 0) {
        return;
      }
      int close = html.indexOf('>', open + 1);
      if (close < 0) {
        return;
      }
      i = close + 1;
      if (!tagName(html, open + 1, close).equals("a") || html.charAt(open + 1) == '/') {
        continue;
      }
      String href = attribute(html.substring(open + 2, close), "href");
      if (href == null) {
        continue;
      }
      int end = indexOfIgnoreCase(html, "</a", i);
      String text = end < 0 ? "" : toText(html.substring(i, end));
      into.add(new Link(href.strip(), text));
      if (end >= 0) {
        i = end;
      }
    }
  }

  /** An attribute's value in a tag's text: double-, single- or unquoted; null if absent. */
  private static String attribute(String tag, String name) {
    int i = 0;
    int n = tag.length();
    while (i < n) {
      int at = indexOfIgnoreCase(tag, name, i);
      if (at < 0) {
        return null;
      }
      boolean starts = at == 0 || Character.isWhitespace(tag.charAt(at - 1));
      int j = at + name.length();
      while (j < n && Character.isWhitespace(tag.charAt(j))) {
        j++;
      }
      if (!starts || j >= n || tag.charAt(j) != '=') {
        i = at + name.length();
        continue;
      }
      j++;
      while (j < n && Character.isWhitespace(tag.charAt(j))) {
        j++;
      }
      if (j >= n) {
        return "";
      }
      char q = tag.charAt(j);
      if (q == '"' || q == '\'') {
        int endQuote = tag.indexOf(q, j + 1);
        return tag.substring(j + 1, endQuote < 0 ? n : endQuote);
      }
      int k = j;
      while (k < n && !Character.isWhitespace(tag.charAt(k))) {
        k++;
      }
      return tag.substring(j, k);
    }
    return null;
  }

  /** The host of an http(s) URL in lower case, or empty for other schemes. */
  static java.util.Optional<String> host(String url) {
    String u = url.strip();
    String lower = u.toLowerCase(Locale.ROOT);
    int start;
    if (lower.startsWith("https://")) {
      start = 8;
    } else if (lower.startsWith("http://")) {
      start = 7;
    } else {
      return java.util.Optional.empty();
    }
    int end = start;
    while (end < u.length() && "/?#:".indexOf(u.charAt(end)) < 0) {
      end++;
    }
    String host = lower.substring(start, end);
    int at = host.lastIndexOf('@');
    return java.util.Optional.of(at >= 0 ? host.substring(at + 1) : host);
  }

  /** URLs found in a header such as List-Unsubscribe ({@code <https://...>, <mailto:...>}). */
  static List<String> angleBracketed(String header) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("<([^>]+)>").matcher(header);
    while (m.find()) {
      out.add(m.group(1).strip());
    }
    return out;
  }
}
