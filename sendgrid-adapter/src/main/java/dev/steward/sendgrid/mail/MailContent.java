package dev.steward.sendgrid.mail;

import dev.steward.model.EmailAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a SendGrid mail needs beyond core's {@code Message}: the sender, the subject or content,
 * template data, the send time, the IP pool and the unsubscribe link. The ISV supplies a function
 * from a message to its content when it builds the transport ({@link
 * SendGridTransport.Builder#content}); core's message carries the recipient, ids, kind, category,
 * template id and personalisation.
 *
 * @param from the sender address (a verified sender identity or on an authenticated domain)
 * @param fromName the sender's display name
 * @param toName the recipient's display name
 * @param replyTo the reply-to address
 * @param subject the subject (needed unless the template sets it)
 * @param text the plain-text body, for mail without a template
 * @param html the HTML body, for mail without a template
 * @param templateId a dynamic template id overriding the message's
 * @param templateData the dynamic template data; empty means the message's personalisation
 * @param categories categories sent besides the message's own (SendGrid allows 10 in all)
 * @param customArgs custom args sent besides Steward's own ({@code steward_*} keys are reserved)
 * @param sendAt when SendGrid should send (at most 72 hours ahead); empty for at once
 * @param ipPoolName the IP pool chosen for this mail (2 to 64 characters)
 * @param unsubscribeUrl the HTTPS one-click unsubscribe URL (RFC 8058) for this recipient
 * @param unsubscribeMailto an address that unsubscribes by mail, written beside the URL
 */
public record MailContent(
    EmailAddress from,
    Optional<String> fromName,
    Optional<String> toName,
    Optional<EmailAddress> replyTo,
    Optional<String> subject,
    Optional<String> text,
    Optional<String> html,
    Optional<String> templateId,
    Optional<Map<String, Object>> templateData,
    List<String> categories,
    Map<String, String> customArgs,
    Optional<Instant> sendAt,
    Optional<String> ipPoolName,
    Optional<URI> unsubscribeUrl,
    Optional<EmailAddress> unsubscribeMailto) {

  /** The prefix of the custom args Steward writes itself. */
  public static final String RESERVED_ARG_PREFIX = "steward_";

  /** Checks each part; names the part at fault. */
  public MailContent {
    Objects.requireNonNull(from, "from");
    fromName = text("fromName", fromName);
    toName = text("toName", toName);
    Objects.requireNonNull(replyTo, "replyTo");
    subject = text("subject", subject);
    text = text("text", text);
    html = text("html", html);
    templateId = text("templateId", templateId);
    Objects.requireNonNull(templateData, "templateData");
    templateData = templateData.map(d -> Collections.unmodifiableMap(new LinkedHashMap<>(d)));
    categories = List.copyOf(categories);
    for (String c : categories) {
      checkCategory(c);
    }
    customArgs = Map.copyOf(customArgs);
    for (String k : customArgs.keySet()) {
      if (k.isBlank() || k.toLowerCase(Locale.ROOT).startsWith(RESERVED_ARG_PREFIX)) {
        throw new InvalidMailException(
            "custom arg '" + k + "' is blank or uses the reserved prefix " + RESERVED_ARG_PREFIX);
      }
    }
    Objects.requireNonNull(sendAt, "sendAt");
    Objects.requireNonNull(ipPoolName, "ipPoolName");
    ipPoolName.ifPresent(
        p -> {
          if (p.length() < 2 || p.length() > MailLimit.IP_POOL_NAME_LENGTH.max()) {
            throw new InvalidMailException(
                MailLimit.IP_POOL_NAME_LENGTH,
                "IP pool name '"
                    + p
                    + "' has "
                    + p.length()
                    + " characters; SendGrid allows 2 to 64");
          }
        });
    Objects.requireNonNull(unsubscribeUrl, "unsubscribeUrl");
    unsubscribeUrl.ifPresent(
        u -> {
          if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
            throw new InvalidMailException(
                "unsubscribe URL '" + u + "' must be an absolute https URL (RFC 8058)");
          }
        });
    Objects.requireNonNull(unsubscribeMailto, "unsubscribeMailto");
  }

  /** A builder for mail from this sender. */
  public static Builder builder(EmailAddress from) {
    return new Builder(from);
  }

  static void checkCategory(String c) {
    if (c == null || c.isBlank()) {
      throw new InvalidMailException("a category must not be null or blank");
    }
    if (c.length() > MailLimit.CATEGORY_LENGTH.max()) {
      throw new InvalidMailException(
          MailLimit.CATEGORY_LENGTH,
          "category of "
              + c.length()
              + " characters; SendGrid allows at most "
              + MailLimit.CATEGORY_LENGTH.max());
    }
  }

  private static Optional<String> text(String what, Optional<String> value) {
    Objects.requireNonNull(value, what);
    if (value.isPresent() && value.get().isEmpty()) {
      throw new InvalidMailException(what + " must not be empty when given");
    }
    return value;
  }

  /** Builds a {@link MailContent}; every setter returns the builder. */
  public static final class Builder {
    private final EmailAddress from;
    private String fromName;
    private String toName;
    private EmailAddress replyTo;
    private String subject;
    private String text;
    private String html;
    private String templateId;
    private Map<String, Object> templateData;
    private final List<String> categories = new ArrayList<>();
    private final Map<String, String> customArgs = new LinkedHashMap<>();
    private Instant sendAt;
    private String ipPoolName;
    private URI unsubscribeUrl;
    private EmailAddress unsubscribeMailto;

    private Builder(EmailAddress from) {
      this.from = Objects.requireNonNull(from, "from");
    }

    /** The sender's display name. */
    public Builder fromName(String name) {
      this.fromName = name;
      return this;
    }

    /** The recipient's display name. */
    public Builder toName(String name) {
      this.toName = name;
      return this;
    }

    /** The reply-to address. */
    public Builder replyTo(EmailAddress address) {
      this.replyTo = address;
      return this;
    }

    /** The subject. */
    public Builder subject(String subject) {
      this.subject = subject;
      return this;
    }

    /** The plain-text body. */
    public Builder text(String text) {
      this.text = text;
      return this;
    }

    /** The HTML body. */
    public Builder html(String html) {
      this.html = html;
      return this;
    }

    /** A dynamic template id overriding the message's. */
    public Builder templateId(String id) {
      this.templateId = id;
      return this;
    }

    /** The dynamic template data, instead of the message's personalisation. */
    public Builder templateData(Map<String, Object> data) {
      this.templateData = data;
      return this;
    }

    /** Adds a category besides the message's own. */
    public Builder category(String category) {
      checkCategory(category);
      this.categories.add(category);
      return this;
    }

    /** Adds a custom arg besides Steward's own. */
    public Builder customArg(String key, String value) {
      Objects.requireNonNull(key, "custom arg key");
      Objects.requireNonNull(value, "custom arg value");
      this.customArgs.put(key, value);
      return this;
    }

    /** When SendGrid should send; null for at once. */
    public Builder sendAt(Instant at) {
      this.sendAt = at;
      return this;
    }

    /** The IP pool chosen for this mail. */
    public Builder ipPoolName(String pool) {
      this.ipPoolName = pool;
      return this;
    }

    /** The one-click unsubscribe URL for this recipient. */
    public Builder unsubscribeUrl(URI url) {
      this.unsubscribeUrl = url;
      return this;
    }

    /** An address that unsubscribes by mail. */
    public Builder unsubscribeMailto(EmailAddress address) {
      this.unsubscribeMailto = address;
      return this;
    }

    /** Builds the content, checking each part. */
    public MailContent build() {
      return new MailContent(
          from,
          Optional.ofNullable(fromName),
          Optional.ofNullable(toName),
          Optional.ofNullable(replyTo),
          Optional.ofNullable(subject),
          Optional.ofNullable(text),
          Optional.ofNullable(html),
          Optional.ofNullable(templateId),
          Optional.ofNullable(templateData),
          categories,
          customArgs,
          Optional.ofNullable(sendAt),
          Optional.ofNullable(ipPoolName),
          Optional.ofNullable(unsubscribeUrl),
          Optional.ofNullable(unsubscribeMailto));
    }
  }
}
