package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import dev.steward.sendgrid.webhook.EventWebhookVerifier;
import dev.steward.sendgrid.webhook.InvalidVerificationKeyException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Event Webhook's settings ({@code /v3/user/webhooks/event/settings}): create the webhook that
 * posts every event Steward reads to the application's endpoint, turn signing on, and fetch the
 * verification key into an {@link EventWebhookVerifier}. {@link #setUp} does all three.
 */
public final class EventWebhooks {
  private static final Logger log = LoggerFactory.getLogger(EventWebhooks.class);

  /**
   * The event types Steward reads (ledger, reconciliation, engagement, governance, consent), by
   * SendGrid's setting names: every one is turned on.
   */
  public static final List<String> EVENTS =
      List.of(
          "processed",
          "deferred",
          "delivered",
          "open",
          "click",
          "bounce",
          "dropped",
          "spam_report",
          "unsubscribe",
          "group_unsubscribe",
          "group_resubscribe");

  /** The friendly name Steward gives the webhooks it creates. */
  public static final String FRIENDLY_NAME = "steward";

  private final ApiClient api;
  private final Clock clock;

  // The last key's verifier: building one costs about 13 ms (its key's point tables), and a
  // webhook's key rarely changes, so fetching the same key again hands back the same verifier.
  private final AtomicReference<KeyedVerifier> last = new AtomicReference<>();

  EventWebhooks(ApiClient api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  /**
   * Creates an enabled webhook posting {@link #EVENTS} to {@code url} (https only: the events carry
   * addresses) for the subuser, or the parent account when empty. Not repeated on an ambiguous
   * failure: list the webhooks before creating another.
   */
  public EventWebhookSettings create(URI url, Optional<String> onBehalfOf) {
    ObjectNode body = settingsBody(httpsUrl(url));
    Optional<String> subuser = Names.onBehalfOf(onBehalfOf);
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                "create event webhook",
                "POST",
                subuser,
                body,
                false,
                "v3",
                "user",
                "webhooks",
                "event",
                "settings"));
    EventWebhookSettings created = settings(answer, "create event webhook");
    log.info(
        "created SendGrid event webhook {} for {}",
        created.id(),
        subuser.orElse("the parent account"));
    return created;
  }

  /** The account's event webhooks ({@code GET .../settings/all}). */
  public List<EventWebhookSettings> list(Optional<String> onBehalfOf) {
    String operation = "list event webhooks";
    JsonNode answer =
        api.call(
            ApiRequest.get(
                operation,
                Names.onBehalfOf(onBehalfOf),
                Map.of(),
                "v3",
                "user",
                "webhooks",
                "event",
                "settings",
                "all"));
    JsonNode hooks = answer.path("webhooks");
    if (!hooks.isArray()) {
      throw unexpected(operation, "the answer has no webhooks list");
    }
    List<EventWebhookSettings> out = new java.util.ArrayList<>();
    for (JsonNode h : hooks) {
      out.add(settings(h, operation));
    }
    return out;
  }

  /**
   * Enables the webhook and turns on every event of {@link #EVENTS}, keeping its url ({@code PATCH
   * .../settings/{id}}). Idempotent.
   */
  public EventWebhookSettings enable(String webhookId, URI url, Optional<String> onBehalfOf) {
    ObjectNode body = settingsBody(httpsUrl(url));
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                "update event webhook",
                "PATCH",
                Names.onBehalfOf(onBehalfOf),
                body,
                true,
                "v3",
                "user",
                "webhooks",
                "event",
                "settings",
                Names.id("webhookId", webhookId)));
    return settings(answer, "update event webhook");
  }

  /** Turns signing on for the webhook and returns its verification key (base64). */
  public String enableSigning(String webhookId, Optional<String> onBehalfOf) {
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("enabled", true);
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                "enable event webhook signing",
                "PATCH",
                Names.onBehalfOf(onBehalfOf),
                body,
                true,
                "v3",
                "user",
                "webhooks",
                "event",
                "settings",
                "signed",
                Names.id("webhookId", webhookId)));
    return publicKeyOf(answer, "enable event webhook signing");
  }

  /** The webhook's verification key (base64), once signing is on. */
  public String publicKey(String webhookId, Optional<String> onBehalfOf) {
    JsonNode answer =
        api.call(
            ApiRequest.get(
                "get event webhook public key",
                Names.onBehalfOf(onBehalfOf),
                Map.of(),
                "v3",
                "user",
                "webhooks",
                "event",
                "settings",
                "signed",
                Names.id("webhookId", webhookId)));
    return publicKeyOf(answer, "get event webhook public key");
  }

  /**
   * Makes sure a webhook posts every event of {@link #EVENTS} to {@code url}, signed, and returns a
   * verifier for its key with the verifier's defaults, judged by this admin's clock. A webhook
   * already posting to {@code url} is reused (enabled and given the missing events if need be), so
   * running it again, or after an ambiguous create, makes no second webhook; otherwise one is
   * created.
   *
   * @throws SendGridApiException when a call failed, or SendGrid's key is not a P-256 key
   */
  public EventWebhookVerifier setUp(URI url, Optional<String> onBehalfOf) {
    String target = httpsUrl(url);
    Optional<EventWebhookSettings> existing =
        list(onBehalfOf).stream().filter(h -> h.url().equals(target)).findFirst();
    EventWebhookSettings hook;
    if (existing.isEmpty()) {
      hook = create(url, onBehalfOf);
    } else if (!existing.get().enabled() || !existing.get().events().containsAll(EVENTS)) {
      hook = enable(existing.get().id(), url, onBehalfOf);
    } else {
      hook = existing.get();
    }
    String key = enableSigning(hook.id(), onBehalfOf);
    return verifier(key, "enable event webhook signing");
  }

  /**
   * A verifier for the webhook's current key (see {@link #publicKey}). The key is fetched on every
   * call; while it is the key of the previous call, the verifier built then is returned again.
   */
  public EventWebhookVerifier verifier(String webhookId, Optional<String> onBehalfOf) {
    return verifier(publicKey(webhookId, onBehalfOf), "get event webhook public key");
  }

  private EventWebhookVerifier verifier(String key, String operation) {
    KeyedVerifier cached = last.get();
    if (cached != null && cached.key().equals(key)) {
      return cached.verifier();
    }
    try {
      EventWebhookVerifier made = EventWebhookVerifier.of(key, clock);
      last.set(new KeyedVerifier(key, made));
      return made;
    } catch (InvalidVerificationKeyException e) {
      throw new SendGridApiException(
          ApiFailureKind.UNEXPECTED_ANSWER,
          operation + ": SendGrid's public key is not a P-256 key: " + e.getMessage(),
          0,
          List.of(),
          null,
          e);
    }
  }

  private record KeyedVerifier(String key, EventWebhookVerifier verifier) {}

  private static String publicKeyOf(JsonNode answer, String operation) {
    JsonNode key = answer.path("public_key");
    if (!key.isTextual() || key.asText().isBlank()) {
      throw unexpected(operation, "the answer has no public_key");
    }
    return key.asText();
  }

  private static EventWebhookSettings settings(JsonNode answer, String operation) {
    JsonNode id = answer.path("id");
    if (!id.isTextual() || id.asText().isBlank()) {
      throw unexpected(operation, "the answer has no webhook id");
    }
    Set<String> on = new LinkedHashSet<>();
    for (String e : EVENTS) {
      if (answer.path(e).asBoolean(false)) {
        on.add(e);
      }
    }
    return new EventWebhookSettings(
        id.asText(), answer.path("url").asText(""), answer.path("enabled").asBoolean(false), on);
  }

  private static ObjectNode settingsBody(String target) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("enabled", true);
    body.put("url", target);
    for (String e : EVENTS) {
      body.put(e, true);
    }
    body.put("friendly_name", FRIENDLY_NAME);
    return body;
  }

  static SendGridApiException unexpected(String operation, String why) {
    return new SendGridApiException(
        ApiFailureKind.UNEXPECTED_ANSWER, operation + ": " + why, 0, List.of(), null, null);
  }

  private static String httpsUrl(URI url) {
    Objects.requireNonNull(url, "url");
    if (!"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "event webhook url must be an absolute https URL (the events carry addresses), not "
              + url.getScheme()
              + "://...");
    }
    if (url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("event webhook url must not carry user info");
    }
    return url.toString();
  }
}
