package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.ippool.InvalidIpAddressException;
import dev.steward.ippool.InvalidPoolNameException;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.PoolInfo;
import dev.steward.ippool.PoolName;
import dev.steward.sendgrid.internal.ApiClient;
import dev.steward.sendgrid.internal.ApiRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SendGrid's IP addresses, IP pools and IP warm-up with the parent key: the pools by name ({@code
 * /v3/ips/pools}, {@code tsg_ips_v3.json}), an IP's details ({@code /v3/ips}), the automated
 * warm-up ({@code /v3/ips/warmup}, {@code tsg_ip_warmup_v3.json}) and the IPs a subuser may send
 * from ({@code PUT /v3/subusers/{name}/ips}, {@code tsg_subusers_v3.json}). Each method is one
 * request (a page for lists); {@link SendGridIpPoolAdmin} puts core's idempotent {@code
 * IpPoolAdmin} over them.
 *
 * <p>Names and addresses SendGrid would refuse are refused before any request: a pool name that
 * starts with a period (SendGrid refuses it; {@code ..} would also climb the URL path), and IPv6
 * addresses (SendGrid's sending IPs are IPv4, as its subuser IP schema says).
 *
 * <p>SendGrid's reverse DNS endpoints ({@code /v3/whitelabel/ips}) are not among the OpenAPI files
 * this adapter is checked against, so they are not called: an IP's reverse DNS host and SendGrid's
 * verdict on it are read from the IP's details ({@code rdns}, {@code whitelabeled}), and its
 * validation is started in SendGrid's console.
 */
public final class IpPools {
  private static final Logger log = LoggerFactory.getLogger(IpPools.class);

  /** The largest page of IPs read. */
  public static final int MAX_PAGE = 500;

  private final ApiClient api;

  IpPools(ApiClient api) {
    this.api = api;
  }

  /** Checks a pool name against what SendGrid refuses beyond {@link PoolName}'s own rules. */
  static PoolName check(PoolName pool) {
    if (pool == null) {
      throw new InvalidPoolNameException("pool name must not be null");
    }
    if (pool.value().startsWith(".")) {
      throw new InvalidPoolNameException(
          "pool name '" + pool + "' starts with a period, which SendGrid refuses");
    }
    return pool;
  }

  /** Checks that an address is one SendGrid can hold: IPv4. */
  static IpAddress check(IpAddress ip) {
    if (ip == null) {
      throw new InvalidIpAddressException("IP address must not be null");
    }
    if (ip.isV6()) {
      throw new InvalidIpAddressException(
          "IP address " + ip + " is IPv6; SendGrid's sending IPs are IPv4");
    }
    return ip;
  }

  /** The names of every pool ({@code GET /v3/ips/pools}). */
  public List<String> poolNames() {
    String operation = "list IP pools";
    JsonNode a =
        api.call(ApiRequest.get(operation, Optional.empty(), Map.of(), "v3", "ips", "pools"));
    if (!a.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<String> out = new ArrayList<>(a.size());
    for (JsonNode p : a) {
      JsonNode name = p.path("name");
      if (!name.isTextual()) {
        throw EventWebhooks.unexpected(operation, "a pool has no name");
      }
      out.add(name.asText());
    }
    return out;
  }

  /**
   * The pool and its IPs ({@code GET /v3/ips/pools/{name}}); empty when SendGrid has none (404).
   */
  public Optional<PoolInfo> pool(PoolName pool) {
    check(pool);
    String operation = "read IP pool";
    Optional<JsonNode> found =
        api.callIfFound(
            ApiRequest.get(
                operation, Optional.empty(), Map.of(), "v3", "ips", "pools", pool.value()));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JsonNode a = found.get();
    JsonNode ips = a.path("ips");
    List<IpAddress> out = new ArrayList<>();
    if (!ips.isMissingNode() && !ips.isNull()) {
      if (!ips.isArray()) {
        throw EventWebhooks.unexpected(operation, "ips is not a list");
      }
      for (JsonNode ip : ips) {
        out.add(address(operation, ip));
      }
    }
    return Optional.of(new PoolInfo(pool, out));
  }

  /**
   * Creates an empty pool ({@code POST /v3/ips/pools}). Not repeated on an ambiguous failure or a
   * 5xx: SendGrid may have made it; look with {@link #pool} before trying again.
   */
  public void createPool(PoolName pool) {
    check(pool);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("name", pool.value());
    api.call(
        ApiRequest.withBody(
            "create IP pool", "POST", Optional.empty(), body, false, "v3", "ips", "pools"));
    log.info("created SendGrid IP pool {}", pool);
  }

  /**
   * Adds an IP to a pool ({@code POST /v3/ips/pools/{name}/ips}). Adding to a set, so it is retried
   * like a read; SendGrid may refuse a second add of the same IP (400).
   */
  public void addIp(PoolName pool, IpAddress ip) {
    check(pool);
    check(ip);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("ip", ip.value());
    api.call(
        ApiRequest.withBody(
            "add IP to pool",
            "POST",
            Optional.empty(),
            body,
            true,
            "v3",
            "ips",
            "pools",
            pool.value(),
            "ips"));
    log.info("added IP {} to SendGrid IP pool {}", ip, pool);
  }

  /**
   * Removes an IP from a pool ({@code DELETE /v3/ips/pools/{name}/ips/{ip}}); false when SendGrid
   * answers 404 (no such pool, or the IP is not in it).
   */
  public boolean removeIp(PoolName pool, IpAddress ip) {
    check(pool);
    check(ip);
    if (api.callIfFound(
            ApiRequest.withoutBody(
                "remove IP from pool",
                "DELETE",
                Optional.empty(),
                true,
                "v3",
                "ips",
                "pools",
                pool.value(),
                "ips",
                ip.value()))
        .isEmpty()) {
      return false;
    }
    log.info("removed IP {} from SendGrid IP pool {}", ip, pool);
    return true;
  }

  /** The IP's details ({@code GET /v3/ips/{ip}}); empty when the account has no such IP (404). */
  public Optional<SendGridIp> ip(IpAddress ip) {
    check(ip);
    String operation = "read IP";
    Optional<JsonNode> found =
        api.callIfFound(
            ApiRequest.get(operation, Optional.empty(), Map.of(), "v3", "ips", ip.value()));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JsonNode a = found.get();
    return Optional.of(ip(operation, a));
  }

  /**
   * One page of the account's IPs with their details ({@code GET /v3/ips}): {@code limit} (1 to
   * {@value #MAX_PAGE}) from {@code offset}.
   */
  public List<SendGridIp> ips(int limit, int offset) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE + ", not " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative, not " + offset);
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("limit", Integer.toString(limit));
    query.put("offset", Integer.toString(offset));
    String operation = "list IPs";
    JsonNode a = api.call(ApiRequest.get(operation, Optional.empty(), query, "v3", "ips"));
    if (!a.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    List<SendGridIp> out = new ArrayList<>(a.size());
    for (JsonNode n : a) {
      out.add(ip(operation, n));
    }
    return out;
  }

  /**
   * When the IP's automated warm-up started, if it is warming up ({@code GET /v3/ips/warmup/{ip}});
   * empty when SendGrid answers 404 or an empty list.
   */
  public Optional<Instant> warmup(IpAddress ip) {
    check(ip);
    String operation = "read IP warm-up";
    Optional<JsonNode> found =
        api.callIfFound(
            ApiRequest.get(
                operation, Optional.empty(), Map.of(), "v3", "ips", "warmup", ip.value()));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    JsonNode a = found.get();
    if (!a.isArray()) {
      throw EventWebhooks.unexpected(operation, "the answer is not a list");
    }
    for (JsonNode n : a) {
      if (ip.equals(address(operation, n.path("ip")))) {
        return Optional.of(
            epoch(operation, n.path("start_date"))
                .orElseThrow(() -> EventWebhooks.unexpected(operation, "no start_date")));
      }
    }
    return Optional.empty();
  }

  /**
   * Puts the IP into SendGrid's automated warm-up ({@code POST /v3/ips/warmup}). Retried like a
   * read (a second start changes nothing); SendGrid may refuse it for an IP warming up (400).
   */
  public void startWarmup(IpAddress ip) {
    check(ip);
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("ip", ip.value());
    api.call(
        ApiRequest.withBody(
            "start IP warm-up", "POST", Optional.empty(), body, true, "v3", "ips", "warmup"));
    log.info("started SendGrid's warm-up of IP {}", ip);
  }

  /**
   * Takes the IP out of SendGrid's automated warm-up ({@code DELETE /v3/ips/warmup/{ip}}); false
   * when SendGrid answers 404 (it was not warming up).
   */
  public boolean stopWarmup(IpAddress ip) {
    check(ip);
    if (api.callIfFound(
            ApiRequest.withoutBody(
                "stop IP warm-up",
                "DELETE",
                Optional.empty(),
                true,
                "v3",
                "ips",
                "warmup",
                ip.value()))
        .isEmpty()) {
      return false;
    }
    log.info("stopped SendGrid's warm-up of IP {}", ip);
    return true;
  }

  /**
   * Sets the IPs the subuser may send from to exactly {@code ips} ({@code PUT
   * /v3/subusers/{name}/ips}: it replaces the list, so it is safe to repeat); SendGrid's answer,
   * the IPs it holds now.
   */
  public List<IpAddress> subuserIps(String subuser, List<IpAddress> ips) {
    Names.subuser(subuser);
    Objects.requireNonNull(ips, "ips");
    if (ips.isEmpty()) {
      throw new IllegalArgumentException("a subuser needs at least one IP to send from");
    }
    ArrayNode body = JsonNodeFactory.instance.arrayNode();
    for (IpAddress ip : ips) {
      body.add(check(ip).value());
    }
    String operation = "set subuser IPs";
    JsonNode a =
        api.call(
            ApiRequest.withBody(
                operation, "PUT", Optional.empty(), body, true, "v3", "subusers", subuser, "ips"));
    List<IpAddress> out = new ArrayList<>();
    for (JsonNode n : a.path("ips")) {
      out.add(address(operation, n));
    }
    log.info("SendGrid subuser {} may send from {} IPs", subuser, out.size());
    return out;
  }

  private static SendGridIp ip(String operation, JsonNode n) {
    IpAddress ip = address(operation, n.path("ip"));
    JsonNode rdns = n.path("rdns");
    JsonNode whitelabeled = n.path("whitelabeled");
    JsonNode warmup = n.path("warmup");
    if (!whitelabeled.isBoolean() || !warmup.isBoolean()) {
      throw EventWebhooks.unexpected(operation, "an IP lacks its whitelabeled or warmup flag");
    }
    return new SendGridIp(
        ip,
        texts(operation, n.path("pools")),
        texts(operation, n.path("subusers")),
        rdns.isTextual() && !rdns.asText().isBlank()
            ? Optional.of(rdns.asText().strip())
            : Optional.empty(),
        whitelabeled.asBoolean(),
        warmup.asBoolean(),
        epoch(operation, n.path("start_date")));
  }

  private static List<String> texts(String operation, JsonNode list) {
    if (list.isMissingNode() || list.isNull()) {
      return List.of();
    }
    if (!list.isArray()) {
      throw EventWebhooks.unexpected(operation, "a list of names is not a list");
    }
    List<String> out = new ArrayList<>(list.size());
    for (JsonNode s : list) {
      if (!s.isTextual()) {
        throw EventWebhooks.unexpected(operation, "a name is not text");
      }
      out.add(s.asText());
    }
    return out;
  }

  private static IpAddress address(String operation, JsonNode n) {
    if (!n.isTextual()) {
      throw EventWebhooks.unexpected(operation, "an IP address is missing");
    }
    try {
      return IpAddress.of(n.asText());
    } catch (InvalidIpAddressException e) {
      throw EventWebhooks.unexpected(operation, e.getMessage());
    }
  }

  /** SendGrid's epoch seconds (its files say integer or number); empty for null or missing. */
  private static Optional<Instant> epoch(String operation, JsonNode n) {
    if (n.isMissingNode() || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isNumber() || n.asDouble() < 0) {
      throw EventWebhooks.unexpected(operation, "start_date is not a time in epoch seconds");
    }
    try {
      return Optional.of(Instant.ofEpochSecond(n.asLong()));
    } catch (DateTimeException e) {
      throw EventWebhooks.unexpected(operation, "start_date is out of range");
    }
  }
}
