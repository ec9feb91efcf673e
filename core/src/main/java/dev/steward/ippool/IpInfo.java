package dev.steward.ippool;

import java.time.Instant;
import java.util.Optional;

/**
 * An IP address as the provider knows it.
 *
 * @param rdns the reverse DNS name, if one is set up
 * @param rdnsValidated true once the reverse DNS record is validated (SendGrid: {@code
 *     whitelabeled}); an IP joins a pool only then
 * @param warmupStartedAt when the provider's automated warm-up started, if the IP is warming up
 * @param lastSentAt when mail last left from it, if known; 30 idle days call for a new warm-up
 */
public record IpInfo(
    IpAddress ip,
    Optional<String> rdns,
    boolean rdnsValidated,
    Optional<Instant> warmupStartedAt,
    Optional<Instant> lastSentAt) {
  public IpInfo {
    InvalidIpPoolException.requireNonNull(ip, "ip");
    InvalidIpPoolException.requireNonNull(rdns, "rdns");
    InvalidIpPoolException.requireNonNull(warmupStartedAt, "warmupStartedAt");
    InvalidIpPoolException.requireNonNull(lastSentAt, "lastSentAt");
    if (rdnsValidated && rdns.isEmpty()) {
      throw new InvalidIpPoolException(
          "IP " + ip + " cannot have validated reverse DNS without a name");
    }
  }
}
