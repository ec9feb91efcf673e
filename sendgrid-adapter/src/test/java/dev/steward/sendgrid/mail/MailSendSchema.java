package dev.steward.sendgrid.mail;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * SendGrid's published OpenAPI description of Mail Send (test resource {@code
 * sendgrid-oai/tsg_mail_v3.json}), as a request validator.
 *
 * <p>{@link #problems} is the Atlassian validator's report on a request with the given body. Its
 * check for fields the schema does not list works on named objects ({@code from}) but not on
 * objects inside arrays (a personalization with {@code dynamic_template} for {@code
 * dynamic_template_data} passes), so {@link #problems} also walks the body beside the schema and
 * reports every field that an object schema listing its properties does not name; free-form objects
 * (headers, template data, custom args) list none and stay open.
 */
final class MailSendSchema {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonNode SPEC = load();
  private static final MailSendSchema PUBLISHED = new MailSendSchema(SPEC);

  private final OpenApiInteractionValidator validator;
  private final JsonNode bodySchema;

  private MailSendSchema(JsonNode spec) {
    this.validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(spec.toString()).build();
    this.bodySchema =
        spec.path("components")
            .path("requestBodies")
            .path("PostMailSend")
            .path("content")
            .path("application/json")
            .path("schema");
    if (!bodySchema.isObject()) {
      throw new IllegalStateException("the spec has no PostMailSend body schema");
    }
  }

  static MailSendSchema published() {
    return PUBLISHED;
  }

  /** The complaints about a Mail Send request with this body; empty when it fits. */
  List<String> problems(String body) {
    ValidationReport report =
        validator.validateRequest(
            SimpleRequest.Builder.post(SendGridTransport.MAIL_SEND_PATH)
                .withContentType("application/json")
                .withHeader("Authorization", "Bearer not-a-real-key")
                .withBody(body)
                .build());
    List<String> out = new ArrayList<>();
    report.getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(ValidationReport.Message::getMessage)
        .forEach(out::add);
    try {
      unknownFields(MAPPER.readTree(body), bodySchema, "", out);
    } catch (IOException e) {
      out.add("not JSON: " + e.getMessage());
    }
    return out;
  }

  private static void unknownFields(
      JsonNode value, JsonNode schema, String path, List<String> out) {
    schema = resolve(schema);
    if (value.isObject() && schema.path("properties").isObject()) {
      JsonNode props = schema.path("properties");
      value
          .properties()
          .forEach(
              e -> {
                if (!props.has(e.getKey())) {
                  out.add("[" + path + "] field '" + e.getKey() + "' is not in SendGrid's schema");
                } else {
                  unknownFields(e.getValue(), props.get(e.getKey()), path + "/" + e.getKey(), out);
                }
              });
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        unknownFields(value.get(i), schema.get("items"), path + "/" + i, out);
      }
    }
  }

  private static JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (ref.startsWith("#/")) {
      return SPEC.at(ref.substring(1));
    }
    return schema;
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
}
