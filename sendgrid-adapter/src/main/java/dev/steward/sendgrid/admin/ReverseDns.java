package dev.steward.sendgrid.admin;

import dev.steward.ippool.IpAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A reverse DNS set-up of one of the account's IPs ({@code /v3/whitelabel/ips}): the tenant (or the
 * ISV) publishes the A record from {@link #aRecord()}'s host to the IP, SendGrid then sets the PTR
 * record back, and mailbox providers see the IP named after a domain of the sender.
 *
 * @param id SendGrid's id of it
 * @param ip the IP address
 * @param rdns the name the IP's PTR record gives ({@code o1.email.example.com})
 * @param domain the sending domain
 * @param subdomain the subdomain under it, if one was given
 * @param valid SendGrid's verdict when it last validated it
 * @param aRecord the A record to publish
 */
public record ReverseDns(
    long id,
    IpAddress ip,
    String rdns,
    String domain,
    Optional<String> subdomain,
    boolean valid,
    ARecord aRecord) {

  /** Checks the parts. */
  public ReverseDns {
    if (id <= 0) {
      throw new IllegalArgumentException("reverse DNS id must be positive, not " + id);
    }
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(rdns, "rdns");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(subdomain, "subdomain");
    Objects.requireNonNull(aRecord, "aRecord");
  }

  /**
   * The DNS record to publish: type A, from {@code host} to {@code data} (the IP).
   *
   * @param host the name to publish
   * @param data the address it points to
   * @param valid whether SendGrid found it when it last looked
   */
  public record ARecord(String host, String data, boolean valid) {
    /** Checks the parts. */
    public ARecord {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(data, "data");
    }
  }
}
