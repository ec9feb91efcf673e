package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.ippool.IpAddress;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reverse DNS of the account's IPs ({@code /v3/whitelabel/ips}, SendGrid's former "IP whitelabel")
 * with the parent key: set one up for an IP and a sending domain, find an IP's, read one, and ask
 * SendGrid to validate it. Core will not let an IP join a pool before its reverse DNS is valid;
 * {@link SendGridIpPoolAdmin#setUpReverseDns} and {@link SendGridIpPoolAdmin#validateReverseDns}
 * put this under the pool admin.
 */
public final class ReverseDnsRecords {
  private static final Logger log = LoggerFactory.getLogger(ReverseDnsRecords.class);

  /** The page size of a search. */
  static final int PAGE = 100;

  /**
   * The most pages one search reads (10,000 set-ups, far more IPs than an account holds): an answer
   * that never runs out of full pages is SendGrid's fault, reported, not followed forever.
   */
  static final int MAX_PAGES = 100;

  private final ApiClient api;

  ReverseDnsRecords(ApiClient api) {
    this.api = api;
  }

  /**
   * Sets up reverse DNS for {@code ip} under {@code domain}. Not repeated on an ambiguous failure
   * (SendGrid may have made it): look with {@link #find} before trying again.
   *
   * @param subdomain the label under the domain the IP's name is made in (SendGrid's {@code
   *     subdomain}; best the one of the domain authentication); SendGrid picks when empty
   */
  public ReverseDns setUp(IpAddress ip, String domain, Optional<String> subdomain) {
    IpPools.check(ip);
    String d = Names.domain("domain", domain);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("ip", ip.value());
    subdomain.ifPresent(s -> body.put("subdomain", label(s)));
    body.put("domain", d);
    String operation = "set up reverse DNS";
    ReverseDns made =
        reverseDns(
            operation,
            api.call(
                ApiRequest.withBody(
                    operation, "POST", Optional.empty(), body, false, "v3", "whitelabel", "ips")));
    log.info("set up SendGrid reverse DNS {} for IP {}", made.id(), made.ip());
    return made;
  }

  /**
   * The reverse DNS of {@code ip}, if one is set up: SendGrid's search, pages read to the end.
   *
   * @throws SendGridApiException (unexpected answer) if the search has more than {@value
   *     #MAX_PAGES} full pages
   */
  public Optional<ReverseDns> find(IpAddress ip) {
    IpPools.check(ip);
    String operation = "search reverse DNS";
    List<ReverseDns> previous = List.of();
    for (int pages = 0, offset = 0; ; pages++, offset += PAGE) {
      if (pages == MAX_PAGES) {
        throw EventWebhooks.unexpected(
            operation,
            "the search for "
                + ip
                + " still had full pages after "
                + MAX_PAGES
                + " pages of "
                + PAGE
                + "; stopped");
      }
      Map<String, String> query = new LinkedHashMap<>();
      query.put("limit", Integer.toString(PAGE));
      query.put("offset", Integer.toString(offset));
      query.put("ip", ip.value());
      JsonNode answer =
          api.call(ApiRequest.get(operation, Optional.empty(), query, "v3", "whitelabel", "ips"));
      if (!answer.isArray()) {
        throw EventWebhooks.unexpected(operation, "the answer is not a list");
      }
      List<ReverseDns> page = new java.util.ArrayList<>(answer.size());
      for (JsonNode n : answer) {
        ReverseDns r = reverseDns(operation, n);
        // the search is by prefix: 192.0.2.1 also finds 192.0.2.10
        if (r.ip().equals(ip)) {
          return Optional.of(r);
        }
        page.add(r);
      }
      if (page.size() < PAGE || page.equals(previous)) {
        return Optional.empty();
      }
      previous = page;
    }
  }

  /** The reverse DNS set-up {@code id}; empty when SendGrid knows none (404). */
  public Optional<ReverseDns> get(long id) {
    positive(id);
    String operation = "read reverse DNS";
    return api.callIfFound(
            ApiRequest.get(
                operation,
                Optional.empty(),
                Map.of(),
                "v3",
                "whitelabel",
                "ips",
                Long.toString(id)))
        .map(a -> reverseDns(operation, a));
  }

  /** Asks SendGrid to look up the A record of set-up {@code id} now. Safe to repeat. */
  public ReverseDnsCheck validate(long id) {
    positive(id);
    String operation = "validate reverse DNS";
    JsonNode answer =
        api.call(
            ApiRequest.withoutBody(
                operation,
                "POST",
                Optional.empty(),
                true,
                "v3",
                "whitelabel",
                "ips",
                Long.toString(id),
                "validate"));
    JsonNode valid = answer.path("valid");
    JsonNode a = answer.path("validation_results").path("a_record");
    if (!valid.isBoolean() || !a.path("valid").isBoolean()) {
      throw EventWebhooks.unexpected(
          operation, "the answer has no valid or validation_results.a_record.valid");
    }
    JsonNode reason = a.path("reason");
    return new ReverseDnsCheck(
        answer.path("id").asLong(id),
        valid.asBoolean(),
        a.path("valid").asBoolean(),
        reason.isTextual() && !reason.asText().isBlank()
            ? Optional.of(reason.asText())
            : Optional.empty());
  }

  private static void positive(long id) {
    if (id <= 0) {
      throw new IllegalArgumentException("reverse DNS id must be positive, not " + id);
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

  /** A set-up from SendGrid's JSON, refused when a documented part is missing. */
  static ReverseDns reverseDns(String operation, JsonNode n) {
    JsonNode id = n.path("id");
    JsonNode a = n.path("a_record");
    if (!id.canConvertToLong()
        || id.asLong() <= 0
        || !n.path("ip").isTextual()
        || !n.path("rdns").isTextual()
        || !n.path("domain").isTextual()
        || !a.path("host").isTextual()
        || !a.path("data").isTextual()) {
      throw EventWebhooks.unexpected(
          operation, "a reverse DNS lacks its id, ip, rdns, domain or A record");
    }
    IpAddress ip;
    try {
      ip = IpAddress.of(n.path("ip").asText());
    } catch (RuntimeException e) {
      throw EventWebhooks.unexpected(
          operation, "a reverse DNS names no IP address: " + e.getMessage());
    }
    JsonNode sub = n.path("subdomain");
    return new ReverseDns(
        id.asLong(),
        ip,
        n.path("rdns").asText(),
        n.path("domain").asText(),
        sub.isTextual() && !sub.asText().isBlank() ? Optional.of(sub.asText()) : Optional.empty(),
        n.path("valid").asBoolean(false),
        new ReverseDns.ARecord(
            a.path("host").asText(), a.path("data").asText(), a.path("valid").asBoolean(false)));
  }
}
