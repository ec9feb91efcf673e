package dev.steward.sendgrid.oai;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * One of SendGrid's published OpenAPI files (test resources {@code sendgrid-oai/}) as a validator
 * of the requests the adapter sent: method, path, query, headers and body by the Atlassian
 * validator, and, beside it, every body field that the operation's object schemas do not name (the
 * validator alone lets unknown fields inside arrays pass).
 */
public final class OpenApiSpec {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Map<String, OpenApiSpec> LOADED = new ConcurrentHashMap<>();

  private final String file;
  private final JsonNode spec;
  private final OpenApiInteractionValidator validator;

  private OpenApiSpec(String file) {
    this.file = file;
    try (InputStream in = OpenApiSpec.class.getResourceAsStream("/sendgrid-oai/" + file)) {
      if (in == null) {
        throw new IllegalStateException("sendgrid-oai/" + file + " is not on the class path");
      }
      this.spec = MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // The validator reads a 3.1 file's parameter schemas as untyped and then tries to parse every
    // header, path and query value as JSON ("Unrecognized token 'tenant-acme'"); these files use
    // nothing of 3.1 that 3.0 lacks but info.summary, so it reads them as 3.0.3 without it (the
    // files
    // stay unchanged).
    com.fasterxml.jackson.databind.node.ObjectNode as30 = spec.deepCopy();
    as30.put("openapi", "3.0.3");
    ((com.fasterxml.jackson.databind.node.ObjectNode) as30.path("info")).remove("summary");
    this.validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(as30.toString()).build();
  }

  /** The file {@code sendgrid-oai/<file>}, loaded once. */
  public static OpenApiSpec of(String file) {
    return LOADED.computeIfAbsent(file, OpenApiSpec::new);
  }

  /** The complaints about the request; empty when it fits the file. */
  public List<String> problems(RecordedRequest r) {
    HttpUrl url = r.getRequestUrl();
    String method = r.getMethod();
    SimpleRequest.Builder b =
        new SimpleRequest.Builder(Request.Method.valueOf(method), url.encodedPath());
    for (String name : url.queryParameterNames()) {
      b.withQueryParam(name, url.queryParameterValues(name));
    }
    for (String name : r.getHeaders().names()) {
      b.withHeader(name, r.getHeaders().values(name));
    }
    String body = r.getBody().clone().readUtf8();
    if (!body.isEmpty()) {
      b.withBody(body);
    }
    List<String> out = new ArrayList<>();
    validator.validateRequest(b.build()).getMessages().stream()
        .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
        .map(m -> m.getKey() + ": " + m.getMessage())
        .forEach(out::add);
    JsonNode op = operation(url.encodedPath(), method.toLowerCase(Locale.ROOT));
    if (op == null) {
      out.add(file + " has no " + method + " " + url.encodedPath());
      return out;
    }
    JsonNode schema = bodySchema(op);
    if (!body.isEmpty()) {
      if (schema == null) {
        out.add(method + " " + url.encodedPath() + " takes no body in " + file);
      } else {
        try {
          unknownFields(MAPPER.readTree(body), schema, "", out);
        } catch (IOException e) {
          out.add("not JSON: " + e.getMessage());
        }
      }
    }
    return out;
  }

  private JsonNode operation(String path, String method) {
    for (var e : spec.path("paths").properties()) {
      String regex = "\\Q" + e.getKey().replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "\\E";
      if (path.matches(regex) && e.getValue().has(method)) {
        return e.getValue().get(method);
      }
    }
    return null;
  }

  private JsonNode bodySchema(JsonNode op) {
    JsonNode rb = resolve(op.path("requestBody"));
    JsonNode s = rb.path("content").path("application/json").path("schema");
    return s.isMissingNode() ? null : s;
  }

  private void unknownFields(JsonNode value, JsonNode schema, String path, List<String> out) {
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

  private JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.startsWith("#/") ? spec.at(ref.substring(1)) : schema;
  }
}
