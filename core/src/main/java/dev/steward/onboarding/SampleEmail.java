package dev.steward.onboarding;

import dev.steward.model.EmailAddress;
import dev.steward.model.MessageKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A sample email a tenant submits for content review (phase 3).
 *
 * @param from the From address
 * @param fromName the From display name, if any
 * @param subject the subject
 * @param headers the other headers, names in lower case ({@code list-unsubscribe}, ...)
 * @param html the HTML body, if any
 * @param text the plain-text body, if any
 * @param kind the kind of email it is
 */
public record SampleEmail(
    EmailAddress from,
    Optional<String> fromName,
    String subject,
    Map<String, String> headers,
    Optional<String> html,
    Optional<String> text,
    MessageKind kind) {

  /** The longest body accepted, in characters. */
  public static final int MAX_BODY = 1_000_000;

  public SampleEmail {
    Checks.notNull("from", from);
    Checks.notNull("fromName", fromName);
    fromName = fromName.map(String::strip).filter(s -> !s.isEmpty());
    Checks.notNull("subject", subject);
    if (subject.length() > 998) {
      throw new InvalidOnboardingInputException("subject is longer than 998 characters");
    }
    Checks.notNull("headers", headers);
    Map<String, String> h = new LinkedHashMap<>();
    headers.forEach(
        (k, v) -> h.put(Checks.text("header name", k, 200).toLowerCase(Locale.ROOT), v.strip()));
    headers = Map.copyOf(h);
    Checks.notNull("html", html);
    Checks.notNull("text", text);
    if (html.isEmpty() && text.isEmpty()) {
      throw new InvalidOnboardingInputException("a sample email needs an html or a text body");
    }
    if (html.map(String::length).orElse(0) > MAX_BODY
        || text.map(String::length).orElse(0) > MAX_BODY) {
      throw new InvalidOnboardingInputException(
          "a body is longer than " + MAX_BODY + " characters");
    }
    Checks.notNull("kind", kind);
  }

  /** A builder for a sample from {@code from} with {@code subject}, of {@code kind}. */
  public static Builder builder(EmailAddress from, String subject, MessageKind kind) {
    return new Builder(from, subject, kind);
  }

  /** The header's value, if present (name in any case). */
  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }

  /** The visible text: the text body, else the HTML with tags removed. */
  public String visibleText() {
    return text.orElseGet(() -> Html.toText(html.orElse("")));
  }

  /** Builds a {@link SampleEmail}. */
  public static final class Builder {
    private final EmailAddress from;
    private final String subject;
    private final MessageKind kind;
    private String fromName;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String html;
    private String text;

    private Builder(EmailAddress from, String subject, MessageKind kind) {
      this.from = from;
      this.subject = subject;
      this.kind = kind;
    }

    /** The From display name. */
    public Builder fromName(String name) {
      this.fromName = name;
      return this;
    }

    /** Adds a header. */
    public Builder header(String name, String value) {
      headers.put(Checks.notNull("header name", name), Checks.notNull("header " + name, value));
      return this;
    }

    /** The HTML body. */
    public Builder html(String html) {
      this.html = html;
      return this;
    }

    /** The plain-text body. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** The sample. */
    public SampleEmail build() {
      return new SampleEmail(
          from,
          Optional.ofNullable(fromName),
          subject,
          headers,
          Optional.ofNullable(html),
          Optional.ofNullable(text),
          kind);
    }
  }
}
