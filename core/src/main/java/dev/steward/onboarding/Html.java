package dev.steward.onboarding;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Just enough HTML reading for the content checks: visible text and links. Not a parser. */
final class Html {
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern STYLE =
      Pattern.compile("<(style|script)[^>]*>.*?</\\1>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ANCHOR =
      Pattern.compile(
          "<a\\s[^>]*href\\s*=\\s*[\"']([^\"']*)[\"'][^>]*>(.*?)</a>",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')]+");

  private Html() {}

  static String toText(String html) {
    String t = STYLE.matcher(html).replaceAll(" ");
    t = TAG.matcher(t).replaceAll(" ");
    t =
        t.replace("&nbsp;", " ")
            .replace("&amp;", "&")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'");
    return t.replaceAll("\\s+", " ").strip();
  }

  /** A link: where it goes and the text it shows. */
  record Link(String href, String text) {}

  /** The links of the email: anchors of the HTML, and bare URLs of the text body. */
  static List<Link> links(SampleEmail e) {
    List<Link> links = new ArrayList<>();
    e.html()
        .ifPresent(
            h -> {
              Matcher m = ANCHOR.matcher(h);
              while (m.find()) {
                links.add(new Link(m.group(1).strip(), toText(m.group(2))));
              }
            });
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
