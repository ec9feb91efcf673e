package dev.steward.onboarding;

import java.util.Optional;

/**
 * A domain blocklist (a DNSBL over domain names, such as Spamhaus DBL) queried as {@code
 * <domain>.<zone>}, or with a key as {@code <domain>.<key>.<zone>} (Spamhaus Data Query Service:
 * zone {@code dbl.dq.spamhaus.net}).
 *
 * <p>Answers are read so that a refusal is never taken for a listing: no such name means not
 * listed; an address in 127.255.255.0/24 is the operator's error code (252: the query was badly
 * formed, 254: queried through a public or open resolver, 255: too many queries), read as
 * "unchecked"; any other 127.0.0.0/8 address means listed; anything else (a resolver rewriting
 * NXDOMAIN to an advertising page) is "unchecked".
 *
 * @param zone the blocklist's zone
 * @param key the access key of a keyed zone, if any
 */
public record DnsBlocklist(String zone, Optional<String> key) {
  public DnsBlocklist {
    zone = Domains.normalise("zone", zone);
    Checks.notNull("key", key);
    key.ifPresent(
        k -> {
          if (!k.matches("[A-Za-z0-9-]{1,63}")) {
            throw new InvalidOnboardingInputException(
                "key must be 1 to 63 letters, digits or hyphens (one DNS label)");
          }
        });
  }

  /** An open zone, queried as {@code <domain>.<zone>}. */
  public static DnsBlocklist of(String zone) {
    return new DnsBlocklist(zone, Optional.empty());
  }

  /** A keyed zone, queried as {@code <domain>.<key>.<zone>}. */
  public static DnsBlocklist keyed(String key, String zone) {
    return new DnsBlocklist(zone, Optional.of(Checks.notNull("key", key)));
  }

  /** The name to look up for {@code domain}. */
  public String queryName(String domain) {
    return domain + "." + key.map(k -> k + ".").orElse("") + zone;
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
