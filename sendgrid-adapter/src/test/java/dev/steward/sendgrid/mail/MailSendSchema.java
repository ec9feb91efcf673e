package dev.steward.sendgrid.mail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * SendGrid's published OpenAPI description of Mail Send (test resource {@code
 * sendgrid-oai/tsg_mail_v3.json}), as a request validator.
 *
 * <p>Two validators: the file as published, and a strict copy in which every object schema that
 * lists its properties refuses others ({@code additionalProperties: false}). The published file
 * allows unknown fields, so only the strict copy catches a misspelt optional field such as {@code
 * ip_pool_nam}; free-form objects (headers, template data, custom args) stay open in both.
 */
final class MailSendSchema {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode SPEC = load();
  private static final MailSendSchema PUBLISHED = new MailSendSchema(SPEC);
  private static final MailSendSchema STRICT = new MailSendSchema(strict(SPEC.deepCopy()));

  private final OpenApiInteractionValidator validator;

  private MailSendSchema(JsonNode spec) {
    this.validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(spec.toString()).build();
  }

  static MailSendSchema published() {
    return PUBLISHED;
  }

  static MailSendSchema strict() {
    return STRICT;
  }

  /** The validator's complaints about a Mail Send request with this body; empty when it fits. */
  List<String> problems(String body) {
    ValidationReport report =
        validator.validateRequest(
            SimpleRequest.Builder.post(SendGridTransport.MAIL_SEND_PATH)
                .withContentType("application/json")
                .withHeader("Authorization", "Bearer not-a-real-key")
                .withBody(body)
                .build());
    return report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(ValidationReport.Message::getMessage)
        .toList();
  }

  private static JsonNode load() {
    try (InputStream in =
        MailSendSchema.class.getResourceAsStream("/sendgrid-oai/tsg_mail_v3.json")) {
      if (in == null) {
        throw new IllegalStateException("sendgrid-oai/tsg_mail_v3.json is not on the class path");
      }
      return MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode strict(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties")
          && o.path("properties").isObject()
          && !o.has("additionalProperties")) {
        o.put("additionalProperties", false);
      }
      o.forEach(MailSendSchema::strict);
    } else if (node.isArray()) {
      node.forEach(MailSendSchema::strict);
    }
    return node;
  }
}
