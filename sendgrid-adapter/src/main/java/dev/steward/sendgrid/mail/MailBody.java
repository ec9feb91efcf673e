package dev.steward.sendgrid.mail;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.steward.model.Channel;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.sendgrid.webhook.SendGridEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Writes the body of {@code POST /v3/mail/send} for one message, or for several that share one mail
 * (one personalization each), checking SendGrid's documented limits before anything is sent.
 * Written with Jackson's streaming generator: no object model in between.
 */
final class MailBody {
  /** The custom arg carrying the journey step ({@code journeyId/stepId}) that sent the message. */
  static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";

  static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
  static final String ONE_CLICK = "List-Unsubscribe=One-Click";

  private static final JsonFactory JSON = new JsonFactory();
  private static final Duration MAX_SEND_AHEAD = Duration.ofHours(MailLimit.SEND_AT_HOURS.max());

  private MailBody() {}

  /** The parts of a content that must be the same for every message of one request. */
  private record Shared(
      EmailAddress from,
      Optional<String> fromName,
      Optional<EmailAddress> replyTo,
      Optional<String> subject,
      Optional<String> text,
      Optional<String> html,
      Optional<String> templateId,
      List<String> categories,
      Optional<Instant> sendAt,
      Optional<String> ipPoolName) {
    static Shared of(Message m, MailContent c) {
      return new Shared(
          c.from(),
          c.fromName(),
          c.replyTo(),
          c.subject(),
          c.text(),
          c.html(),
          c.templateId().or(() -> Optional.ofNullable(m.templateId())),
          c.categories(),
          c.sendAt(),
          c.ipPoolName());
    }
  }

  /**
   * The request body for these messages and their contents (same size, same order).
   *
   * @throws InvalidMailException naming the limit or part at fault
   */
  static byte[] write(
      List<Message> messages,
      List<MailContent> contents,
      Map<String, AsmGroup> asmGroups,
      boolean sandbox,
      Instant now) {
    if (messages.isEmpty()) {
      throw new InvalidMailException("no message to send");
    }
    if (messages.size() > MailLimit.RECIPIENTS.max()) {
      throw new InvalidMailException(
          MailLimit.RECIPIENTS,
          messages.size()
              + " recipients in one request; SendGrid allows at most "
              + MailLimit.RECIPIENTS.max());
    }
    Message first = messages.get(0);
    Shared shared = Shared.of(first, contents.get(0));
    Set<String> recipients = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      check(m, i, first, shared, contents.get(i));
      if (!recipients.add(m.to().value().toLowerCase(Locale.ROOT))) {
        throw new InvalidMailException(
            MailLimit.DUPLICATE_RECIPIENT,
            "message "
                + m.id()
                + " goes to a recipient already in this request; SendGrid allows each once");
      }
    }
    if (shared.templateId().isEmpty()) {
      if (shared.text().isEmpty() && shared.html().isEmpty()) {
        throw new InvalidMailException(
            "message " + first.id() + " has neither a template id nor a text or HTML body");
      }
      if (shared.subject().isEmpty()) {
        throw new InvalidMailException(
            "message " + first.id() + " has no template and no subject; SendGrid needs one");
      }
    }
    Set<String> categories = new LinkedHashSet<>();
    categories.add(first.category());
    categories.addAll(shared.categories());
    if (categories.size() > MailLimit.CATEGORIES.max()) {
      throw new InvalidMailException(
          MailLimit.CATEGORIES,
          "message "
              + first.id()
              + " has "
              + categories.size()
              + " categories; SendGrid allows at most "
              + MailLimit.CATEGORIES.max());
    }
    if (shared.sendAt().isPresent() && shared.sendAt().get().isAfter(now.plus(MAX_SEND_AHEAD))) {
      throw new InvalidMailException(
          MailLimit.SEND_AT_HOURS,
          "message "
              + first.id()
              + " has send_at "
              + shared.sendAt().get()
              + ", more than "
              + MailLimit.SEND_AT_HOURS.max()
              + " hours after "
              + now);
    }
    AsmGroup asm = asmGroups.get(first.category());
    MessageKind kind = first.kind();
    if (kind == MessageKind.PROMOTIONAL && asm == null) {
      for (int i = 0; i < messages.size(); i++) {
        if (contents.get(i).unsubscribeUrl().isEmpty()) {
          throw new InvalidMailException(
              "PROMOTIONAL message "
                  + messages.get(i).id()
                  + " has no unsubscribe URL (RFC 8058) and its category '"
                  + first.category()
                  + "' no ASM group: give one or the other");
        }
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream(512 + 256 * messages.size());
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeArrayFieldStart("personalizations");
      for (int i = 0; i < messages.size(); i++) {
        personalization(g, out, messages.get(i), contents.get(i), shared);
      }
      g.writeEndArray();
      address(g, "from", shared.from(), shared.fromName());
      if (shared.replyTo().isPresent()) {
        address(g, "reply_to", shared.replyTo().get(), Optional.empty());
      }
      if (shared.subject().isPresent()) {
        g.writeStringField("subject", shared.subject().get());
      }
      if (shared.text().isPresent() || shared.html().isPresent()) {
        g.writeArrayFieldStart("content");
        // SendGrid wants text/plain before text/html
        if (shared.text().isPresent()) {
          content(g, "text/plain", shared.text().get());
        }
        if (shared.html().isPresent()) {
          content(g, "text/html", shared.html().get());
        }
        g.writeEndArray();
      }
      if (shared.templateId().isPresent()) {
        g.writeStringField("template_id", shared.templateId().get());
      }
      g.writeArrayFieldStart("categories");
      for (String c : categories) {
        g.writeString(c);
      }
      g.writeEndArray();
      if (shared.sendAt().isPresent()) {
        g.writeNumberField("send_at", shared.sendAt().get().getEpochSecond());
      }
      if (asm != null) {
        g.writeObjectFieldStart("asm");
        g.writeNumberField("group_id", asm.groupId());
        if (!asm.groupsToDisplay().isEmpty()) {
          g.writeArrayFieldStart("groups_to_display");
          for (int id : asm.groupsToDisplay()) {
            g.writeNumber(id);
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      if (shared.ipPoolName().isPresent()) {
        g.writeStringField("ip_pool_name", shared.ipPoolName().get());
      }
      if (sandbox) {
        g.writeObjectFieldStart("mail_settings");
        g.writeObjectFieldStart("sandbox_mode");
        g.writeBooleanField("enable", true);
        g.writeEndObject();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory failed", e);
    }
    if (out.size() > MailLimit.MESSAGE_BYTES.max()) {
      throw new InvalidMailException(
          MailLimit.MESSAGE_BYTES,
          "message "
              + first.id()
              + " makes a request of "
              + out.size()
              + " bytes; SendGrid allows at most 30 MB ("
              + MailLimit.MESSAGE_BYTES.max()
              + " bytes)");
    }
    return out.toByteArray();
  }

  private static void check(Message m, int i, Message first, Shared shared, MailContent c) {
    Objects.requireNonNull(c, "content of message " + m.id());
    if (m.channel() != Channel.EMAIL) {
      throw new InvalidMailException(
          "message " + m.id() + " is for " + m.channel() + ", not EMAIL");
    }
    if (i == 0) {
      return;
    }
    String differs = null;
    if (!m.tenant().equals(first.tenant())) {
      differs = "tenant";
    } else if (m.kind() != first.kind()) {
      differs = "kind";
    } else if (!m.category().equals(first.category())) {
      differs = "category";
    } else if (!Shared.of(m, c).equals(shared)) {
      differs = "sender, subject, body, template, categories, send_at or IP pool";
    }
    if (differs != null) {
      throw new InvalidMailException(
          "message "
              + m.id()
              + " differs from the first of its request ("
              + first.id()
              + ") in its "
              + differs
              + "; one request carries one mail");
    }
  }

  private static void personalization(
      JsonGenerator g, ByteArrayOutputStream out, Message m, MailContent c, Shared shared)
      throws IOException {
    g.writeStartObject();
    g.writeArrayFieldStart("to");
    g.writeStartObject();
    g.writeStringField("email", m.to().value());
    if (c.toName().isPresent()) {
      g.writeStringField("name", c.toName().get());
    }
    g.writeEndObject();
    g.writeEndArray();
    if (c.unsubscribeUrl().isPresent() && !m.kind().isAccountMail()) {
      g.writeObjectFieldStart("headers");
      String list = "<" + c.unsubscribeUrl().get().toASCIIString() + ">";
      if (c.unsubscribeMailto().isPresent()) {
        list += ", <mailto:" + c.unsubscribeMailto().get().value() + ">";
      }
      g.writeStringField(LIST_UNSUBSCRIBE, list);
      g.writeStringField(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
      g.writeEndObject();
    }
    if (shared.templateId().isPresent()) {
      g.writeFieldName("dynamic_template_data");
      value(g, c.templateData().orElse(m.personalisation()), "dynamic_template_data", m, 0);
    }
    g.writeFieldName("custom_args");
    g.flush();
    int before = out.size();
    g.writeStartObject();
    g.writeStringField(SendGridEvents.MESSAGE_ID_ARG, m.id().value());
    g.writeStringField(SendGridEvents.TENANT_ARG, m.tenant().value());
    g.writeStringField(SendGridEvents.ACCOUNT_ARG, m.account().value());
    g.writeStringField(SendGridEvents.CONTACT_ARG, m.contact().value());
    if (m.source().isJourney()) {
      g.writeStringField(SendGridEvents.JOURNEY_STEP_ARG, m.source().journeyStep());
    }
    if (c.ipPoolName().isPresent()) {
      // SendGrid names the pool on processed events only; governance counts pools on every event
      g.writeStringField(SendGridEvents.POOL_ARG, c.ipPoolName().get());
    }
    for (Map.Entry<String, String> e : c.customArgs().entrySet()) {
      g.writeStringField(e.getKey(), e.getValue());
    }
    g.writeEndObject();
    g.flush();
    int size = out.size() - before;
    if (size > MailLimit.CUSTOM_ARGS_BYTES.max()) {
      throw new InvalidMailException(
          MailLimit.CUSTOM_ARGS_BYTES,
          "message "
              + m.id()
              + " has custom args of "
              + size
              + " bytes; SendGrid allows at most "
              + MailLimit.CUSTOM_ARGS_BYTES.max());
    }
    g.writeEndObject();
  }

  private static void address(
      JsonGenerator g, String field, EmailAddress address, Optional<String> name)
      throws IOException {
    g.writeObjectFieldStart(field);
    g.writeStringField("email", address.value());
    if (name.isPresent()) {
      g.writeStringField("name", name.get());
    }
    g.writeEndObject();
  }

  private static void content(JsonGenerator g, String type, String value) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", type);
    g.writeStringField("value", value);
    g.writeEndObject();
  }

  /** Template data: the value types of core's personalisation, lists and maps of them. */
  private static void value(JsonGenerator g, Object v, String path, Message m, int depth)
      throws IOException {
    if (depth > Message.MAX_PERSONALISATION_DEPTH) {
      throw new InvalidMailException(
          "message "
              + m.id()
              + ": "
              + path
              + " nests lists and maps more than "
              + Message.MAX_PERSONALISATION_DEPTH
              + " deep");
    }
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      g.writeNumber(((Number) v).intValue());
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      g.writeNumber(d);
    } else if (v instanceof Float f) {
      g.writeNumber(f);
    } else if (v instanceof BigInteger bi) {
      g.writeNumber(bi);
    } else if (v instanceof BigDecimal bd) {
      g.writeNumber(bd);
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new InvalidMailException(
              "message " + m.id() + ": " + path + " has a key that is not a string");
        }
        g.writeFieldName(key);
        value(g, e.getValue(), path + "." + key, m, depth + 1);
      }
      g.writeEndObject();
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      int i = 0;
      for (Object item : list) {
        value(g, item, path + "[" + i++ + "]", m, depth + 1);
      }
      g.writeEndArray();
    } else {
      throw new InvalidMailException(
          "message "
              + m.id()
              + ": "
              + path
              + " holds a "
              + v.getClass().getName()
              + "; template data takes strings, numbers, booleans, null, lists and maps");
    }
  }
}
