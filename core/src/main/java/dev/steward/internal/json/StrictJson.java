package dev.steward.internal.json;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * The one strict JSON reader of Steward (internal, not API): every JSON text the library reads goes
 * through {@link #read}, so that a repeated key or text after the end is refused everywhere alike,
 * with a message that names the key or the text and its line and column but none of Jackson's
 * internals. Each caller turns the message into its own exception.
 */
public final class StrictJson {
  // A repeated key would otherwise silently replace the first ("caps" twice keeps the last), and
  // text after the end would be ignored. The mapper is never handed out, so nobody can loosen it.
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  // Jackson's own trailing-token error names its classes and features; read() checks for trailing
  // text itself, after the tree, to report the text and its place instead.
  private static final ObjectReader TREE =
      MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  // "(for Array starting at [Source: ...; line: 1, column: 10])" and "(... Feature 'X' ...)"
  private static final Pattern NOISE =
      Pattern.compile("\\s*\\((?:[^()]*\\[Source:[^\\]]*\\]|[^()]*Feature[^()]*)\\)");
  private static final int EXCERPT = 40;

  private StrictJson() {}

  /**
   * Parses {@code json}, refusing repeated keys and anything but white space after the value; empty
   * text gives a {@link MissingNode}.
   *
   * @param what what the text is, to start messages ("policy" gives "policy JSON has ...")
   * @param error makes the caller's exception from a message and its cause (null for trailing text)
   */
  public static JsonNode read(
      String json, String what, BiFunction<String, Throwable, ? extends RuntimeException> error) {
    JsonNode root;
    int end;
    try (JsonParser p = MAPPER.createParser(json)) {
      root = TREE.readTree(p);
      if (root == null) {
        return MissingNode.getInstance();
      }
      end = (int) p.currentLocation().getCharOffset();
    } catch (JacksonException e) {
      throw error.apply(describe(e, what), e);
    } catch (IOException e) {
      // a String source cannot fail to be read; kept for the checked signature
      throw error.apply(what + " JSON cannot be read", e);
    }
    requireNothingAfter(json, end, what, error);
    return root;
  }

  /**
   * Checks {@code json} as {@link #read} does (repeated keys, malformed text, text after the end)
   * without building a tree, for texts that are checked and stored but not read now (work
   * payloads); the first token of its value, or null for empty text.
   */
  public static JsonToken check(
      String json, String what, BiFunction<String, Throwable, ? extends RuntimeException> error) {
    JsonToken first;
    int end;
    try (JsonParser p = MAPPER.createParser(json)) {
      first = p.nextToken();
      if (first == null) {
        return null;
      }
      // nextToken, not skipChildren: every key is read, so a repeated one is found
      int depth = first.isStructStart() ? 1 : 0;
      if (depth == 0) {
        p.finishToken(); // a root string is read lazily: read it, so its end is where it ends
      }
      while (depth > 0) {
        JsonToken t = p.nextToken();
        if (t == null) {
          break; // Jackson reports the unclosed value itself
        }
        if (t.isStructStart()) {
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
        }
      }
      end = (int) p.currentLocation().getCharOffset();
    } catch (JacksonException e) {
      throw error.apply(describe(e, what), e);
    } catch (IOException e) {
      throw error.apply(what + " JSON cannot be read", e);
    }
    requireNothingAfter(json, end, what, error);
    return first;
  }

  private static void requireNothingAfter(
      String json,
      int end,
      String what,
      BiFunction<String, Throwable, ? extends RuntimeException> error) {
    int at = end;
    while (at < json.length() && " \t\r\n".indexOf(json.charAt(at)) >= 0) {
      at++;
    }
    if (at < json.length()) {
      throw error.apply(
          what
              + " JSON has text after its end "
              + place(json, at)
              + ": '"
              + excerpt(json, at)
              + "'",
          null);
    }
  }

  private static String describe(JacksonException e, String what) {
    String original = e.getOriginalMessage();
    JsonLocation loc = e.getLocation();
    String where =
        loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    // Jackson 2 says "Duplicate field 'x'", Jackson 3 "Duplicate Object property"
    if (original != null
        && original.startsWith("Duplicate")
        && e.getProcessor() instanceof JsonParser p
        && p.getParsingContext() != null
        && p.getParsingContext().getCurrentName() != null) {
      // the location Jackson gives is just after the repeated key, which is what a reader needs
      JsonStreamContext ctx = p.getParsingContext();
      String path = pathOf(ctx);
      return what
          + " JSON has the key '"
          + ctx.getCurrentName()
          + "' twice"
          + (path.isEmpty() ? "" : " in " + path)
          + where;
    }
    String cleaned = original == null ? "" : NOISE.matcher(original).replaceAll("");
    return what + " JSON is malformed: " + cleaned + where;
  }

  /**
   * The path of the object or array {@code ctx} reads, such as {@code caps[0]}; "" for the root.
   */
  private static String pathOf(JsonStreamContext ctx) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = ctx.getParent(); c != null && !c.inRoot(); c = c.getParent()) {
      parts.addFirst(c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String place(String json, int index) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < index; i++) {
      if (json.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "(line " + line + ", column " + (index - lineStart + 1) + ")";
  }

  private static String excerpt(String json, int from) {
    int to = from;
    while (to < json.length() && to - from < EXCERPT && json.charAt(to) != '\n') {
      to++;
    }
    String text = json.substring(from, to).stripTrailing();
    return to < json.length() && json.charAt(to) != '\n' ? text + "..." : text;
  }
}
