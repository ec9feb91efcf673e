package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subusers ({@code /v3/subusers}): one per tenant, created at onboarding, disabled while the tenant
 * is suspended and enabled again after, with a daily credit limit as SendGrid's own backstop for
 * the pilot's daily cap (Steward's gate stops the tenant first; the limit holds if anything gets
 * past it), its credits read back, and its sender reputation as SendGrid rates it.
 */
public final class Subusers {
  private static final Logger log = LoggerFactory.getLogger(Subusers.class);

  /** The largest daily credit limit accepted. */
  public static final int MAX_DAILY_CREDITS = 100_000_000;

  private final ApiClient api;

  Subusers(ApiClient api) {
    this.api = api;
  }

  /**
   * Creates the subuser. Not repeated on an ambiguous failure: SendGrid may have created it, and a
   * second create of the same username is refused (400).
   */
  public Subuser create(NewSubuser subuser) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("username", subuser.username());
    body.put("email", subuser.email().value());
    body.put("password", subuser.password());
    ArrayNode ips = body.putArray("ips");
    subuser.ips().forEach(ips::add);
    body.put("region", subuser.region().name().toLowerCase(java.util.Locale.ROOT));
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                "create subuser", "POST", Optional.empty(), body, false, "v3", "subusers"));
    JsonNode name = answer.path("username");
    if (!name.isTextual()) {
      throw EventWebhooks.unexpected("create subuser", "the answer has no username");
    }
    log.info("created SendGrid subuser {}", name.asText());
    return new Subuser(name.asText(), answer.path("user_id").asLong(0));
  }

  /** Disables the subuser: SendGrid stops its mail (a tenant's suspension). Idempotent. */
  public void disable(String username) {
    setDisabled(username, true);
  }

  /** Enables the subuser again (the suspension lifted). Idempotent. */
  public void enable(String username) {
    setDisabled(username, false);
  }

  /**
   * Disables or enables the subuser with one request, not retried within the call (a 5xx or a 429
   * fails at once, {@link SendGridApiException#isRetryable()} saying whether to try again): for due
   * work, whose next run looks again at what is wanted, so a stale try never lands after a newer
   * one. Idempotent.
   */
  public void setDisabledOnce(String username, boolean disabled) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("disabled", disabled);
    api.callOnce(disabledRequest(username, disabled, body));
    log.info("{} SendGrid subuser {}", disabled ? "disabled" : "enabled", username);
  }

  private void setDisabled(String username, boolean disabled) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("disabled", disabled);
    api.call(disabledRequest(username, disabled, body));
    log.info("{} SendGrid subuser {}", disabled ? "disabled" : "enabled", username);
  }

  private static ApiRequest disabledRequest(String username, boolean disabled, ObjectNode body) {
    return ApiRequest.withBody(
        disabled ? "disable subuser" : "enable subuser",
        "PATCH",
        Optional.empty(),
        body,
        true,
        "v3",
        "subusers",
        Names.subuser(username));
  }

  /**
   * Sets the subuser's credits to reset daily to {@code perDay} (1 to {@value #MAX_DAILY_CREDITS}):
   * SendGrid's backstop for the pilot's daily limit. Idempotent.
   */
  public void dailyCreditLimit(String username, int perDay) {
    if (perDay < 1 || perDay > MAX_DAILY_CREDITS) {
      throw new IllegalArgumentException(
          "daily credit limit must be 1 to " + MAX_DAILY_CREDITS + ", not " + perDay);
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("type", "recurring");
    body.put("reset_frequency", "daily");
    body.put("total", perDay);
    putCredits(username, body, "set subuser daily credit limit");
  }

  /** Removes the subuser's credit limit (the pilot is over). Idempotent. */
  public void unlimitedCredits(String username) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "unlimited");
    putCredits(username, body, "remove subuser credit limit");
  }

  /** The subuser's credits as SendGrid holds them now. */
  public SubuserCredits credits(String username) {
    String operation = "read subuser credits";
    JsonNode a =
        api.call(
            ApiRequest.get(
                operation,
                Optional.empty(),
                java.util.Map.of(),
                "v3",
                "subusers",
                Names.subuser(username),
                "credits"));
    if (!a.path("type").isTextual()) {
      throw EventWebhooks.unexpected(operation, "the answer has no type");
    }
    JsonNode reset = a.path("reset_frequency");
    return new SubuserCredits(
        a.path("type").asText(),
        reset.isTextual() ? Optional.of(reset.asText()) : Optional.empty(),
        count(operation, a, "total"),
        count(operation, a, "remain"),
        count(operation, a, "used"));
  }

  private static java.util.OptionalLong count(String operation, JsonNode a, String field) {
    JsonNode v = a.path(field);
    if (v.isMissingNode() || v.isNull()) {
      return java.util.OptionalLong.empty();
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw EventWebhooks.unexpected(operation, field + " is not a whole number of credits");
    }
    return java.util.OptionalLong.of(v.asLong());
  }

  /**
   * The subuser's sender reputation; empty when SendGrid does not rate it (yet). One subuser per
   * request: SendGrid's OpenAPI description takes {@code usernames} as one string.
   */
  public Optional<SubuserReputation> reputation(String username) {
    Names.subuser(username);
    String operation = "read subuser reputation";
    JsonNode a =
        api.call(
            ApiRequest.get(
                operation,
                Optional.empty(),
                java.util.Map.of("usernames", username),
                "v3",
                "subusers",
                "reputations"));
    if (!a.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    // SendGrid does not tell usernames apart by case: its answer may spell the name otherwise
    String wanted = username.toLowerCase(java.util.Locale.ROOT);
    for (JsonNode r : a) {
      JsonNode name = r.path("username");
      if (name.isTextual() && wanted.equals(name.asText().toLowerCase(java.util.Locale.ROOT))) {
        JsonNode rep = r.path("reputation");
        if (!rep.isNumber()) {
          throw EventWebhooks.unexpected(operation, "the reputation is not a number");
        }
        try {
          return Optional.of(new SubuserReputation(username, rep.asDouble()));
        } catch (IllegalArgumentException e) {
          throw EventWebhooks.unexpected(operation, e.getMessage());
        }
      }
    }
    return Optional.empty();
  }

  private void putCredits(String username, ObjectNode body, String operation) {
    api.call(
        ApiRequest.withBody(
            operation,
            "PUT",
            Optional.empty(),
            body,
            true,
            "v3",
            "subusers",
            Names.subuser(username),
            "credits"));
  }
}
