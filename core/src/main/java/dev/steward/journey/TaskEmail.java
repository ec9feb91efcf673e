package dev.steward.journey;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The email of a human task: the suggested one (the step's template with the contact's attributes
 * as its data) or the one its owner edited. It goes out through the dispatcher as a message with
 * {@code template} as its template id and {@code data} as its personalisation, {@code subject} and
 * {@code body}, when given, added to it under those keys for the template to use.
 *
 * @param template the template id; empty for an email written out in {@code body}
 * @param subject the subject line, if the owner wrote one
 * @param body the text, if the owner wrote one (line breaks allowed)
 * @param data the template's data, copied and unmodifiable
 */
public record TaskEmail(
    Optional<String> template,
    Optional<String> subject,
    Optional<String> body,
    Map<String, String> data) {

  /** The longest template id. */
  public static final int MAX_TEMPLATE = 200;

  /** The longest subject line. */
  public static final int MAX_SUBJECT = 998;

  /** The longest body. */
  public static final int MAX_BODY = 100_000;

  /** The most data entries. */
  public static final int MAX_DATA = ContactProfile.MAX_ATTRIBUTES;

  public TaskEmail {
    template = InvalidTaskException.require(template, "template of a task email");
    subject = InvalidTaskException.require(subject, "subject of a task email");
    body = InvalidTaskException.require(body, "body of a task email");
    InvalidTaskException.require(data, "data of a task email");
    template.ifPresent(t -> InvalidTaskException.line(t, "template of a task email", MAX_TEMPLATE));
    subject.ifPresent(s -> InvalidTaskException.line(s, "subject of a task email", MAX_SUBJECT));
    body.ifPresent(b -> InvalidTaskException.text(b, "body of a task email", MAX_BODY));
    if (template.isEmpty() && body.isEmpty()) {
      throw new InvalidTaskException("a task email needs a template or a body; it has neither");
    }
    if (data.size() > MAX_DATA) {
      throw new InvalidTaskException(
          "a task email has " + data.size() + " data entries; at most " + MAX_DATA);
    }
    Map<String, String> copy = new TreeMap<>();
    for (Map.Entry<String, String> e : data.entrySet()) {
      String key =
          InvalidTaskException.line(
              e.getKey(), "data key of a task email", ContactProfile.MAX_ATTRIBUTE);
      if (key.equals("subject") || key.equals("body")) {
        throw new InvalidTaskException(
            "data key '" + key + "' of a task email is reserved; set the " + key + " instead");
      }
      String value =
          InvalidTaskException.require(e.getValue(), "data value '" + key + "' of a task email");
      if (value.length() > ContactProfile.MAX_ATTRIBUTE
          || value.indexOf('\u0000') >= 0
          || dev.steward.model.StoreLimits.unpairedSurrogateAt(value) >= 0) {
        throw new InvalidTaskException(
            "data value '"
                + key
                + "' of a task email must be at most "
                + ContactProfile.MAX_ATTRIBUTE
                + " characters, without NUL or half a surrogate pair");
      }
      copy.put(key, value);
    }
    data = Collections.unmodifiableMap(copy);
  }

  /** An email from a template and its data. */
  public static TaskEmail template(String template, Map<String, String> data) {
    return new TaskEmail(Optional.ofNullable(template), Optional.empty(), Optional.empty(), data);
  }

  /** An email written out: a subject line and a body, no template. */
  public static TaskEmail written(String subject, String body) {
    return new TaskEmail(
        Optional.empty(), Optional.ofNullable(subject), Optional.ofNullable(body), Map.of());
  }

  /** This email with its subject and body set (an owner's edit of a templated email). */
  public TaskEmail edited(String subject, String body) {
    return new TaskEmail(template, Optional.ofNullable(subject), Optional.ofNullable(body), data);
  }

  /** The message personalisation: the data, and the subject and body when given. */
  Map<String, Object> personalisation() {
    Map<String, Object> p = new TreeMap<>(data);
    subject.ifPresent(s -> p.put("subject", s));
    body.ifPresent(b -> p.put("body", b));
    return p;
  }
}
