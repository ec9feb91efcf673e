package dev.steward.review9;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.ippool.InvalidIpAddressException;
import dev.steward.ippool.InvalidPoolNameException;
import dev.steward.ippool.IpAddress;
import dev.steward.ippool.PoolName;
import dev.steward.ippool.Stream;
import dev.steward.ippool.Tier;
import dev.steward.ippool.TierConfig;
import org.junit.jupiter.api.Test;

/** Hostile review of the IP-pool value types. */
class IpPoolInputReview9Test {

  /**
   * DEFECT: SendGrid refuses an IP pool name that begins with a period ("An IP Pool name cannot
   * start with a dot/period (.) or space", IP Address Management API, update an IP pool name), and
   * ".." as the {pool_name} segment of /v3/ips/pools/{pool_name} is a dot-segment that URL
   * normalisation resolves to /v3/ips. PoolName refuses the leading space but accepts both, so a
   * plan naming such a pool validates and fails only at the provider (or addresses another
   * resource). Correct: InvalidPoolNameException before anything is sent.
   */
  @Test
  void aPoolNameStartingWithAPeriodIsRefused() {
    assertThatThrownBy(() -> PoolName.of(".quarantine"))
        .isInstanceOf(InvalidPoolNameException.class);
    assertThatThrownBy(() -> PoolName.of("..")).isInstanceOf(InvalidPoolNameException.class);
  }

  /**
   * DEFECT: IpAddress says the legacy forms InetAddress would read, octal "010.0.0.1" among them,
   * are refused, and it does refuse "010.0.0.1"; but inside an IPv4-mapped IPv6 text the same
   * octets go to InetAddress unchecked: "::ffff:010.0.0.1" is accepted and becomes 10.0.0.1 (an
   * octal reader says 8.0.0.1), and "::ffff:00001.2.3.4" becomes 1.2.3.4. Correct: the embedded
   * dotted quad gets the IPv4 rules (no leading zeros), InvalidIpAddressException.
   */
  @Test
  void anIpv4MappedAddressWithOctalLookingOctetsIsRefusedAsThePlainIpv4FormIs() {
    assertThatThrownBy(() -> IpAddress.of("010.0.0.1"))
        .isInstanceOf(InvalidIpAddressException.class);
    assertThatThrownBy(() -> IpAddress.of("::ffff:010.0.0.1"))
        .isInstanceOf(InvalidIpAddressException.class);
    assertThatThrownBy(() -> IpAddress.of("::ffff:00001.2.3.4"))
        .isInstanceOf(InvalidIpAddressException.class);
  }

  /**
   * DEFECT: an IPv6 group holds one to four hex digits (RFC 4291 2.2); "00000::1" is not an IPv6
   * address, but IpAddress hands it to InetAddress, which reads it, and accepts it as ::1. Correct:
   * InvalidIpAddressException.
   */
  @Test
  void anIpv6GroupOfFiveDigitsIsRefused() {
    assertThatThrownBy(() -> IpAddress.of("00000::1"))
        .isInstanceOf(InvalidIpAddressException.class);
  }

  /**
   * DEFECT: PoolName says it refuses leading or trailing white space, but checks it with
   * String.strip(), which knows only Character.isWhitespace: a no-break space (U+00A0), figure
   * space (U+2007) or narrow no-break space (U+202F), all Unicode White_Space, pass at either end.
   * "shared-premium\u00A0" is then a second pool that prints like the first. Correct:
   * InvalidPoolNameException.
   */
  @Test
  void aPoolNameEndingInANoBreakSpaceIsRefused() {
    assertThatThrownBy(() -> PoolName.of("shared-premium\u00A0"))
        .isInstanceOf(InvalidPoolNameException.class);
    assertThatThrownBy(() -> PoolName.of("\u202Fwarmup"))
        .isInstanceOf(InvalidPoolNameException.class);
  }

  /**
   * DEFECT: setting the quarantine pool of one stream (pool(QUARANTINE, TRANSACTIONAL, p)) before
   * any quarantine pool is set fills both streams with p, so the marketing stream's quarantine is p
   * too instead of the ladder's quarantine pool, which the builder says applies "unless set with
   * pool": marketing was never set. Correct: the other stream keeps the ladder's quarantine pool.
   */
  @Test
  void settingOneStreamsQuarantinePoolLeavesTheOtherOnTheLaddersPool() {
    TierConfig c =
        TierConfig.builder()
            .pool(Tier.QUARANTINE, Stream.TRANSACTIONAL, PoolName.of("quarantine-tx"))
            .build();
    assertThat(c.pool(Tier.QUARANTINE, Stream.TRANSACTIONAL))
        .isEqualTo(PoolName.of("quarantine-tx"));
    assertThat(c.pool(Tier.QUARANTINE, Stream.MARKETING))
        .isEqualTo(PoolName.of(c.ladder().quarantinePool()));
  }
}
