package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.EmailAddress;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single-sender verification ({@code /v3/verified_senders}) for a subuser ({@code on-behalf-of}) or
 * the parent account: onboarding's fallback for a low-volume tenant whose own domain cannot be
 * authenticated ({@code SenderFallbackPolicy.singleSender}). {@link #request} asks SendGrid to mail
 * the address a verification link, unless SendGrid already holds the address; {@link #find} tells
 * whether it has been verified. Record the fallback in onboarding with {@code
 * OnboardingWorkflow.useSenderFallback} once it is.
 */
public final class VerifiedSenders {
  private static final Logger log = LoggerFactory.getLogger(VerifiedSenders.class);

  /** The largest page read. */
  public static final int MAX_PAGE = 100;

  private final ApiClient api;

  VerifiedSenders(ApiClient api) {
    this.api = api;
  }

  /**
   * The sender of {@code sender.from()} if SendGrid holds it already, else a new one (SendGrid
   * mails the verification link). Not repeated on an ambiguous failure; calling again looks first,
   * so it is safe.
   */
  public VerifiedSender request(Optional<String> onBehalfOf, NewVerifiedSender sender) {
    java.util.Objects.requireNonNull(sender, "sender");
    Optional<VerifiedSender> known = find(onBehalfOf, sender.from());
    if (known.isPresent()) {
      return known.get();
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("nickname", sender.nickname());
    body.put("from_email", sender.from().value());
    body.put("from_name", sender.fromName());
    body.put("reply_to", sender.replyTo().value());
    body.put("address", sender.address());
    body.put("city", sender.city());
    body.put("country", sender.country());
    String operation = "create verified sender";
    VerifiedSender created =
        sender(
            operation,
            api.call(
                ApiRequest.withBody(
                    operation,
                    "POST",
                    Names.onBehalfOf(onBehalfOf),
                    body,
                    false,
                    "v3",
                    "verified_senders")));
    log.info("requested SendGrid verification of single sender {}", created.id());
    return created;
  }

  /**
   * The sender of {@code from}, verified or not; empty when SendGrid holds none.
   *
   * @throws SendGridApiException when a call failed, or a full page's last id did not advance (the
   *     list cannot be read to its end)
   */
  public Optional<VerifiedSender> find(Optional<String> onBehalfOf, EmailAddress from) {
    java.util.Objects.requireNonNull(from, "from");
    String wanted = from.value().toLowerCase(Locale.ROOT);
    Optional<Long> after = Optional.empty();
    while (true) {
      List<VerifiedSender> page = list(onBehalfOf, MAX_PAGE, after);
      for (VerifiedSender s : page) {
        if (s.fromEmail().toLowerCase(Locale.ROOT).equals(wanted)) {
          return Optional.of(s);
        }
      }
      if (page.size() < MAX_PAGE) {
        return Optional.empty();
      }
      long last = page.get(page.size() - 1).id();
      if (after.isPresent() && last <= after.get()) {
        // a server ignoring lastSeenID (or ids out of order) would be asked for ever; the list
        // was not read to its end, so "not found" would be a guess
        throw EventWebhooks.unexpected(
            "list verified senders",
            "a full page ended at id " + last + ", not after the " + after.get() + " asked for");
      }
      after = Optional.of(last);
    }
  }

  /** One page: {@code limit} (1 to {@value #MAX_PAGE}) senders after the id {@code after}. */
  public List<VerifiedSender> list(Optional<String> onBehalfOf, int limit, Optional<Long> after) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("limit", Integer.toString(limit));
    after.ifPresent(a -> q.put("lastSeenID", Long.toString(a)));
    String operation = "list verified senders";
    JsonNode answer =
        api.call(
            ApiRequest.get(operation, Names.onBehalfOf(onBehalfOf), q, "v3", "verified_senders"));
    JsonNode results = answer.path("results");
    if (!results.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer has no results list");
    }
    List<VerifiedSender> out = new ArrayList<>(results.size());
    for (JsonNode n : results) {
      out.add(sender(operation, n));
    }
    return out;
  }

  private static VerifiedSender sender(String operation, JsonNode n) {
    if (!n.path("id").canConvertToLong() || !n.path("from_email").isTextual()) {
      throw EventWebhooks.unexpected(operation, "a sender lacks its id or from_email");
    }
    return new VerifiedSender(
        n.path("id").asLong(),
        n.path("nickname").asText(""),
        n.path("from_email").asText(),
        n.path("verified").asBoolean(false),
        n.path("locked").asBoolean(false));
  }
}
