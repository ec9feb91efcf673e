package dev.steward.sendgrid.admin;

import dev.steward.ippool.IpAddress;
import dev.steward.ippool.IpInfo;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IP address of the account as SendGrid's IP API ({@code GET /v3/ips/{ip}}) describes it.
 *
 * @param ip the address
 * @param pools the names of the pools that hold it
 * @param subusers the subusers that may send from it
 * @param rdns the reverse DNS host SendGrid holds for it: the tenant's DNS needs an A record from
 *     this host to the address (and SendGrid sets the PTR record back)
 * @param rdnsValid SendGrid's {@code whitelabeled}: the reverse DNS is set up and valid
 * @param warmingUp SendGrid's {@code warmup}: it is in SendGrid's automated warm-up now
 * @param warmupStartedAt SendGrid's {@code start_date}: when it last entered warm-up, if it ever
 *     did
 */
public record SendGridIp(
    IpAddress ip,
    List<String> pools,
    List<String> subusers,
    Optional<String> rdns,
    boolean rdnsValid,
    boolean warmingUp,
    Optional<Instant> warmupStartedAt) {

  /** Checks the parts and copies the lists. */
  public SendGridIp {
    Objects.requireNonNull(ip, "ip");
    pools = List.copyOf(pools);
    subusers = List.copyOf(subusers);
    Objects.requireNonNull(rdns, "rdns");
    Objects.requireNonNull(warmupStartedAt, "warmupStartedAt");
  }

  /**
   * Core's view: the reverse DNS counts as validated only when SendGrid says so and names the host;
   * the warm-up start is SendGrid's {@code start_date} (an IP that finished its warm-up keeps it,
   * so core's warm-up schedule, not the absence of a date, decides it is warm). SendGrid does not
   * say when mail last left an IP, so {@link IpInfo#lastSentAt()} is empty.
   */
  public IpInfo toIpInfo() {
    return new IpInfo(
        ip, rdns, rdnsValid && rdns.isPresent(), warmupStartedAt, Optional.<Instant>empty());
  }
}
