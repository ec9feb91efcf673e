package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What SendGrid found when it validated a domain authentication or a link branding ({@code POST
 * /v3/whitelabel/domains/{id}/validate}, {@code /v3/whitelabel/links/{id}/validate}).
 *
 * @param id the authentication's id
 * @param valid SendGrid's verdict on the whole
 * @param results each record's result by SendGrid's name of it ({@code mail_cname}, {@code dkim1},
 *     ...), in SendGrid's order
 */
public record DomainCheck(long id, boolean valid, Map<String, RecordCheck> results) {
  /** Copies the results, keeping their order. */
  public DomainCheck {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
  }

  /**
   * Reads SendGrid's answer to a validation of {@code id}: its {@code valid} verdict and each
   * {@code validation_results} entry, refused when a part is missing. {@code isFlag} says what
   * counts as a verdict, since the two endpoints' OpenAPI files type it differently.
   */
  static DomainCheck read(String operation, JsonNode answer, long id, Predicate<JsonNode> isFlag) {
    JsonNode valid = answer.path("valid");
    JsonNode results = answer.path("validation_results");
    if (!isFlag.test(valid) || !results.isObject()) {
      throw EventWebhooks.unexpected(operation, "the answer has no valid or validation_results");
    }
    Map<String, RecordCheck> checks = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : results.properties()) {
      JsonNode r = e.getValue();
      if (!isFlag.test(r.path("valid"))) {
        throw EventWebhooks.unexpected(operation, "result " + e.getKey() + " has no valid flag");
      }
      JsonNode reason = r.path("reason");
      checks.put(
          e.getKey(),
          new RecordCheck(
              r.path("valid").asBoolean(),
              reason.isTextual() && !reason.asText().isBlank()
                  ? Optional.of(reason.asText())
                  : Optional.empty()));
    }
    return new DomainCheck(answer.path("id").asLong(id), valid.asBoolean(), checks);
  }

  /**
   * One record's result.
   *
   * @param valid whether SendGrid found it as expected
   * @param reason SendGrid's reason when it did not
   */
  public record RecordCheck(boolean valid, Optional<String> reason) {
    /** Checks the reason. */
    public RecordCheck {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
