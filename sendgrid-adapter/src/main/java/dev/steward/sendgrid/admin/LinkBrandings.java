package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Link branding ({@code /v3/whitelabel/links}) for a subuser ({@code on-behalf-of}) or the parent
 * account (empty): create one for a domain, list and read them, and ask SendGrid to validate the
 * records. {@link SendGridLinkBranding} puts core's {@code LinkBranding} SPI over it.
 */
public final class LinkBrandings {
  private static final Logger log = LoggerFactory.getLogger(LinkBrandings.class);

  /** The most link brandings one list reads (SendGrid's list has no offset). */
  public static final int MAX_LIST = 500;

  private final ApiClient api;
  private final LongAdder skipped;

  LinkBrandings(ApiClient api, LongAdder skipped) {
    this.api = api;
    this.skipped = skipped;
  }

  /**
   * How many entries of SendGrid's link branding lists {@link #list} has skipped as malformed (no
   * id, no domain, a record without host or data, no {@code domain_cname}), over every {@code
   * LinkBrandings} of the same {@link SendGridAdmin}.
   */
  public long malformedSkipped() {
    return skipped.sum();
  }

  /**
   * Creates the link branding of {@code domain}. Not repeated on an ambiguous failure (SendGrid may
   * have made it): look with {@link #list} before trying again.
   *
   * @param subdomain the label the links are served under; SendGrid picks one when empty (it must
   *     differ from the domain authentication's)
   */
  public BrandedLink create(
      Optional<String> onBehalfOf, String domain, Optional<String> subdomain) {
    String d = Names.domain("domain", domain);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("domain", d);
    subdomain.ifPresent(s -> body.put("subdomain", label(s)));
    String operation = "create link branding";
    BrandedLink created =
        link(
            operation,
            api.call(
                ApiRequest.withBody(
                    operation,
                    "POST",
                    Names.onBehalfOf(onBehalfOf),
                    body,
                    false,
                    "v3",
                    "whitelabel",
                    "links")));
    log.info("created SendGrid link branding {}", created.id());
    return created;
  }

  /**
   * The link brandings, at most {@code limit} (1 to {@value #MAX_LIST}). An entry of SendGrid's
   * answer that is malformed is skipped, logged at WARN and counted ({@link #malformedSkipped}), so
   * one bad entry does not hide the others (nor block a tenant's {@code create}).
   *
   * @throws SendGridApiException if SendGrid fails, or its answer is not a list
   */
  public List<BrandedLink> list(Optional<String> onBehalfOf, int limit) {
    if (limit < 1 || limit > MAX_LIST) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIST + ", not " + limit);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    String operation = "list link brandings";
    JsonNode answer =
        api.call(
            ApiRequest.get(
                operation, Names.onBehalfOf(onBehalfOf), query, "v3", "whitelabel", "links"));
    if (!answer.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<BrandedLink> out = new ArrayList<>(answer.size());
    int index = 0;
    for (JsonNode n : answer) {
      try {
        out.add(link(operation, n));
      } catch (SendGridApiException e) {
        if (e.kind() != ApiFailureKind.UNEXPECTED_ANSWER) {
          throw e;
        }
        skip(index, e);
      } catch (IllegalArgumentException | NullPointerException e) {
        skip(index, e);
      }
      index++;
    }
    return out;
  }

  private void skip(int index, RuntimeException why) {
    skipped.increment();
    log.warn(
        "SendGrid's link branding list has a malformed entry (#{}: {}); skipped, the others kept",
        index,
        why.getMessage());
  }

  /** The link branding {@code id}; empty when SendGrid knows none (404). */
  public Optional<BrandedLink> get(Optional<String> onBehalfOf, long id) {
    positive(id);
    String operation = "read link branding";
    return api.callIfFound(
            ApiRequest.get(
                operation,
                Names.onBehalfOf(onBehalfOf),
                Map.of(),
                "v3",
                "whitelabel",
                "links",
                Long.toString(id)))
        .map(a -> link(operation, a));
  }

  /** Asks SendGrid to look up the records of link branding {@code id} now. Safe to repeat. */
  public DomainCheck validate(Optional<String> onBehalfOf, long id) {
    positive(id);
    String operation = "validate link branding";
    JsonNode answer =
        api.call(
            ApiRequest.withoutBody(
                operation,
                "POST",
                Names.onBehalfOf(onBehalfOf),
                true,
                "v3",
                "whitelabel",
                "links",
                Long.toString(id),
                "validate"));
    return DomainCheck.read(operation, answer, id, LinkBrandings::flag);
  }

  /** SendGrid answers booleans; its OpenAPI file types them as the strings "true"/"false". */
  private static boolean flag(JsonNode n) {
    return n.isBoolean()
        || n.isTextual() && (n.asText().equals("true") || n.asText().equals("false"));
  }

  private static void positive(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("link branding id must be positive, not " + id);
    }
  }

  private static String label(String s) {
    String label = s.strip().toLowerCase(Locale.ROOT);
    if (!label.matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "subdomain '" + s + "' is not one DNS label of letters, digits and inner '-'");
    }
    return label;
  }

  /** A link branding from SendGrid's JSON, refused when a documented part is missing. */
  static BrandedLink link(String operation, JsonNode n) {
    JsonNode id = n.path("id");
    JsonNode domain = n.path("domain");
    if (!id.canConvertToLong() || id.asLong() <= 0 || !domain.isTextual()) {
      throw EventWebhooks.unexpected(operation, "a link branding lacks its id or domain");
    }
    List<AuthenticatedDomain.DnsEntry> dns = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : n.path("dns").properties()) {
      JsonNode r = e.getValue();
      if (!r.path("host").isTextual() || !r.path("data").isTextual()) {
        throw EventWebhooks.unexpected(
            operation, "DNS record " + e.getKey() + " lacks its host or data");
      }
      dns.add(
          new AuthenticatedDomain.DnsEntry(
              e.getKey(),
              r.path("type").asText("cname"),
              r.path("host").asText(),
              r.path("data").asText(),
              r.path("valid").asBoolean(false)));
    }
    if (dns.stream().noneMatch(e -> e.name().equals("domain_cname"))) {
      throw EventWebhooks.unexpected(operation, "a link branding has no domain_cname record");
    }
    return new BrandedLink(
        id.asLong(),
        domain.asText(),
        text(n.path("subdomain")),
        text(n.path("username")),
        n.path("valid").asBoolean(false),
        dns);
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() && !n.asText().isBlank() ? Optional.of(n.asText()) : Optional.empty();
  }
}
