package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Domain authentication ({@code /v3/whitelabel/domains}) for a subuser ({@code on-behalf-of}) or
 * the parent account (empty): create one with automatic security (SendGrid manages SPF and DKIM
 * through three CNAMEs the tenant publishes), read them, and ask SendGrid to validate the records.
 * {@link SendGridSenderAuthentication} puts core's onboarding SPI over it.
 */
public final class DomainAuthentications {
  private static final Logger log = LoggerFactory.getLogger(DomainAuthentications.class);

  /** The largest page read. */
  public static final int MAX_PAGE = 200;

  private final ApiClient api;

  DomainAuthentications(ApiClient api) {
    this.api = api;
  }

  /**
   * Creates the authentication of {@code domain} with automatic security. Not repeated on an
   * ambiguous failure (SendGrid may have created it): look with {@link #list} before trying again.
   *
   * @param subdomain the return-path subdomain; SendGrid picks one ({@code em<n>}) when empty
   */
  public AuthenticatedDomain create(
      Optional<String> onBehalfOf, String domain, Optional<String> subdomain) {
    String d = Names.domain("domain", domain);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("domain", d);
    subdomain.ifPresent(
        s -> {
          String label = s.strip().toLowerCase(java.util.Locale.ROOT);
          if (!label.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
            throw new IllegalArgumentException(
                "subdomain '" + s + "' is not one DNS label of letters, digits and inner '-'");
          }
          body.put("subdomain", label);
        });
    body.put("automatic_security", true);
    String operation = "create domain authentication";
    JsonNode answer =
        api.call(
            ApiRequest.withBody(
                operation,
                "POST",
                Names.onBehalfOf(onBehalfOf),
                body,
                false,
                "v3",
                "whitelabel",
                "domains"));
    AuthenticatedDomain created = domain(operation, answer);
    log.info("created SendGrid domain authentication {}", created.id());
    return created;
  }

  /**
   * One page of the authentications, those of {@code domain} alone when given: {@code limit} (1 to
   * {@value #MAX_PAGE}) from {@code offset}.
   */
  public List<AuthenticatedDomain> list(
      Optional<String> onBehalfOf, Optional<String> domain, int limit, int offset) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + offset);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    query.put("offset", Integer.toString(offset));
    domain.ifPresent(d -> query.put("domain", Names.domain("domain", d)));
    String operation = "list domain authentications";
    JsonNode answer =
        api.call(
            ApiRequest.get(
                operation, Names.onBehalfOf(onBehalfOf), query, "v3", "whitelabel", "domains"));
    if (!answer.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<AuthenticatedDomain> out = new ArrayList<>(answer.size());
    for (JsonNode n : answer) {
      out.add(domain(operation, n));
    }
    return out;
  }

  /** The authentication {@code id}; empty when SendGrid knows none (404). */
  public Optional<AuthenticatedDomain> get(Optional<String> onBehalfOf, long id) {
    positive(id);
    String operation = "read domain authentication";
    return api.callIfFound(
            ApiRequest.get(
                operation,
                Names.onBehalfOf(onBehalfOf),
                Map.of(),
                "v3",
                "whitelabel",
                "domains",
                Long.toString(id)))
        .map(a -> domain(operation, a));
  }

  /** Asks SendGrid to look up the records of authentication {@code id} now. Safe to repeat. */
  public DomainCheck validate(Optional<String> onBehalfOf, long id) {
    positive(id);
    String operation = "validate domain authentication";
    JsonNode answer =
        api.call(
            ApiRequest.withoutBody(
                operation,
                "POST",
                Names.onBehalfOf(onBehalfOf),
                true,
                "v3",
                "whitelabel",
                "domains",
                Long.toString(id),
                "validate"));
    return DomainCheck.read(operation, answer, id, JsonNode::isBoolean);
  }

  private static void positive(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("domain authentication id must be positive, not " + id);
    }
  }

  /** An authenticated domain from SendGrid's JSON, refused when a documented part is missing. */
  static AuthenticatedDomain domain(String operation, JsonNode n) {
    JsonNode id = n.path("id");
    JsonNode domain = n.path("domain");
    if (!id.canConvertToLong() || id.asLong() <= 0 || !domain.isTextual()) {
      throw EventWebhooks.unexpected(operation, "a domain authentication lacks its id or domain");
    }
    List<AuthenticatedDomain.DnsEntry> dns = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : n.path("dns").properties()) {
      JsonNode r = e.getValue();
      if (!r.path("type").isTextual()
          || !r.path("host").isTextual()
          || !r.path("data").isTextual()) {
        throw EventWebhooks.unexpected(
            operation, "DNS record " + e.getKey() + " lacks its type, host or data");
      }
      dns.add(
          new AuthenticatedDomain.DnsEntry(
              e.getKey(),
              r.path("type").asText(),
              r.path("host").asText(),
              r.path("data").asText(),
              r.path("valid").asBoolean(false)));
    }
    if (dns.isEmpty()) {
      throw EventWebhooks.unexpected(operation, "a domain authentication has no DNS records");
    }
    return new AuthenticatedDomain(
        id.asLong(),
        domain.asText(),
        text(n.path("subdomain")),
        text(n.path("username")),
        n.path("automatic_security").asBoolean(false),
        n.path("valid").asBoolean(false),
        dns);
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }
}
