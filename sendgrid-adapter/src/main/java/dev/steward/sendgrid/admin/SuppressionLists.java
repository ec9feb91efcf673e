package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.model.EmailAddress;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SendGrid's suppression lists and unsubscribe groups for a subuser (or the parent account when
 * empty): read a page of a list within a time window, read the group unsubscribes, add addresses to
 * the global unsubscribes or to a group's.
 */
public final class SuppressionLists {
  /** The largest page SendGrid serves. */
  public static final int MAX_PAGE = 500;

  /** The most addresses added in one request. */
  public static final int MAX_ADD = 1000;

  private final ApiClient api;

  SuppressionLists(ApiClient api) {
    this.api = api;
  }

  /**
   * One page of {@code list}: the entries created from {@code start} to {@code end} (both
   * inclusive, whole seconds), {@code limit} (1 to {@value #MAX_PAGE}) from {@code offset}. Fewer
   * than {@code limit} means it was the last page.
   */
  public List<ListedAddress> page(
      Optional<String> onBehalfOf,
      SuppressionList list,
      Instant start,
      Instant end,
      int limit,
      int offset) {
    Objects.requireNonNull(list, "list");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(end, "end");
    if (end.isBefore(start)) {
      throw new IllegalArgumentException("end " + end + " is before start " + start);
    }
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + offset);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("start_time", Long.toString(start.getEpochSecond()));
    query.put("end_time", Long.toString(end.getEpochSecond()));
    query.put("limit", Integer.toString(limit));
    query.put("offset", Integer.toString(offset));
    String operation = "read " + list.segment();
    JsonNode answer =
        api.call(
            ApiRequest.get(
                operation,
                Names.onBehalfOf(onBehalfOf),
                query,
                "v3",
                "suppression",
                list.segment()));
    if (!answer.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<ListedAddress> out = new ArrayList<>(answer.size());
    for (JsonNode e : answer) {
      JsonNode email = e.path("email");
      JsonNode created = e.path("created");
      if (!email.isTextual() || !created.isNumber()) {
        throw EventWebhooks.unexpected(operation, "an entry lacks its email or created time");
      }
      JsonNode status = e.path("status");
      out.add(
          new ListedAddress(
              email.asText(),
              Instant.ofEpochSecond(created.asLong()),
              status.isTextual() ? Optional.of(status.asText()) : Optional.empty()));
    }
    return out;
  }

  /** Every address unsubscribed from any unsubscribe group ({@code GET /v3/asm/suppressions}). */
  public List<GroupUnsubscribe> groupUnsubscribes(Optional<String> onBehalfOf) {
    String operation = "read group unsubscribes";
    JsonNode answer =
        api.call(
            ApiRequest.get(
                operation, Names.onBehalfOf(onBehalfOf), Map.of(), "v3", "asm", "suppressions"));
    if (!answer.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<GroupUnsubscribe> out = new ArrayList<>(answer.size());
    for (JsonNode e : answer) {
      JsonNode email = e.path("email");
      JsonNode group = e.path("group_id");
      if (!email.isTextual() || !group.canConvertToInt()) {
        throw EventWebhooks.unexpected(operation, "an entry lacks its email or group_id");
      }
      out.add(
          new GroupUnsubscribe(
              email.asText(),
              group.asInt(),
              Instant.ofEpochSecond(e.path("created_at").asLong(0))));
    }
    return out;
  }

  /** Adds the addresses to the global unsubscribes. Idempotent. */
  public void addGlobalUnsubscribes(Optional<String> onBehalfOf, List<EmailAddress> addresses) {
    api.call(
        ApiRequest.withBody(
            "add global unsubscribes",
            "POST",
            Names.onBehalfOf(onBehalfOf),
            recipients(addresses),
            true,
            "v3",
            "asm",
            "suppressions",
            "global"));
  }

  /** Adds the addresses to the unsubscribe group's suppressions. Idempotent. */
  public void addGroupUnsubscribes(
      Optional<String> onBehalfOf, int groupId, List<EmailAddress> addresses) {
    if (groupId <= 0) {
      throw new IllegalArgumentException("group id must be positive, not " + groupId);
    }
    api.call(
        ApiRequest.withBody(
            "add group unsubscribes",
            "POST",
            Names.onBehalfOf(onBehalfOf),
            recipients(addresses),
            true,
            "v3",
            "asm",
            "groups",
            Integer.toString(groupId),
            "suppressions"));
  }

  private static ObjectNode recipients(List<EmailAddress> addresses) {
    Objects.requireNonNull(addresses, "addresses");
    if (addresses.isEmpty() || addresses.size() > MAX_ADD) {
      throw new IllegalArgumentException(
          "add 1 to " + MAX_ADD + " addresses at once, not " + addresses.size());
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode list = body.putArray("recipient_emails");
    for (EmailAddress a : addresses) {
      list.add(Objects.requireNonNull(a, "address").value());
    }
    return body;
  }
}
