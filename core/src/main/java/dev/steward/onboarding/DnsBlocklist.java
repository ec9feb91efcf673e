package dev.steward.onboarding;

import java.util.Optional;

/**
 * A DNS blocklist: over domain names (such as Spamhaus DBL), queried as {@code <domain>.<zone>}, or
 * over IPv4 addresses (such as Spamhaus ZEN), queried as {@code <d>.<c>.<b>.<a>.<zone>} for each
 * address a domain resolves to; with a key, {@code <key>.} goes before the zone (Spamhaus Data
 * Query Service: {@code <key>.dbl.dq.spamhaus.net}, {@code <key>.zen.dq.spamhaus.net}).
 *
 * <p>Answers are read so that a refusal is never taken for a listing: no such name means not
 * listed; an address in 127.255.255.0/24 is the operator's error code (252: the query was badly
 * formed, 254: queried through a public or open resolver, 255: too many queries), read as
 * "unchecked"; any other 127.0.0.0/8 address means listed; anything else (a resolver rewriting
 * NXDOMAIN to an advertising page) is "unchecked".
 *
 * @param zone the blocklist's zone
 * @param key the access key of a keyed zone, if any
 * @param target whether it lists domain names or IP addresses
 */
public record DnsBlocklist(String zone, Optional<String> key, Target target) {
  public DnsBlocklist {
    zone = Domains.normalise("zone", zone);
    Checks.notNull("target", target);
    Checks.notNull("key", key);
    key.ifPresent(
        k -> {
          if (!k.matches("[A-Za-z0-9-]{1,63}")) {
            throw new InvalidOnboardingInputException(
                "key must be 1 to 63 letters, digits or hyphens (one DNS label)");
          }
        });
  }

  /** An open domain list, queried as {@code <domain>.<zone>}. */
  public static DnsBlocklist of(String zone) {
    return new DnsBlocklist(zone, Optional.empty(), Target.DOMAIN);
  }

  /** A keyed domain list, queried as {@code <domain>.<key>.<zone>}. */
  public static DnsBlocklist keyed(String key, String zone) {
    return new DnsBlocklist(zone, Optional.of(Checks.notNull("key", key)), Target.DOMAIN);
  }

  /** An open IP list, queried as {@code <reversed address>.<zone>}. */
  public static DnsBlocklist ipList(String zone) {
    return new DnsBlocklist(zone, Optional.empty(), Target.IP);
  }

  /** A keyed IP list, queried as {@code <reversed address>.<key>.<zone>}. */
  public static DnsBlocklist keyedIpList(String key, String zone) {
    return new DnsBlocklist(zone, Optional.of(Checks.notNull("key", key)), Target.IP);
  }

  /**
   * The name to look up for {@code item}: a domain for a domain list, a dotted IPv4 address for an
   * IP list (its octets reversed).
   */
  public String queryName(String item) {
    String label = item;
    if (target == Target.IP) {
      String[] o = item.split("\\.");
      if (o.length != 4) {
        throw new InvalidOnboardingInputException("'" + item + "' is not a dotted IPv4 address");
      }
      label = o[3] + "." + o[2] + "." + o[1] + "." + o[0];
    }
    return label + "." + key.map(k -> k + ".").orElse("") + zone;
  }

  /** What a blocklist lists. */
  public enum Target {
    /** Domain names. */
    DOMAIN,
    /** IPv4 addresses. */
    IP
  }

  /** The zone with the key hidden, for evidence and logs. */
  public String displayName() {
    return key.isPresent() ? "<key>." + zone : zone;
  }

  /** What a blocklist's answer means. */
  public enum Listing {
    /** Not on the list. */
    NOT_LISTED,
    /** On the list. */
    LISTED,
    /** The list did not answer the question (refused, rate-limited, resolver trouble). */
    UNCHECKED
  }

  /** Reads a lookup's answer by the rules above. */
  public static Listing read(DnsResolver.Answer answer) {
    switch (answer.status()) {
      case NOT_FOUND:
        return Listing.NOT_LISTED;
      case FAILED:
        return Listing.UNCHECKED;
      default:
        break;
    }
    boolean listed = false;
    for (String a : answer.values()) {
      if (a.startsWith("127.255.255.")) {
        return Listing.UNCHECKED;
      }
      if (!a.startsWith("127.")) {
        return Listing.UNCHECKED;
      }
      listed = true;
    }
    return listed ? Listing.LISTED : Listing.UNCHECKED;
  }
}
