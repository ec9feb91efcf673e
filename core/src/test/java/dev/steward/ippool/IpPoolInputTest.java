package dev.steward.ippool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.StewardException;
import dev.steward.governance.GovernanceMetric;
import dev.steward.governance.Ladder;
import dev.steward.governance.Level;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad names, addresses and tier settings are refused with exceptions that name the problem. */
class IpPoolInputTest {

  @Test
  void poolNamesFollowSendGridsTwoToSixtyFourCharacters() {
    assertThat(PoolName.of("ab").value()).isEqualTo("ab");
    assertThat(PoolName.of("p".repeat(64)).value()).hasSize(64);
    assertThat(PoolName.of("Marketing Pool 1").value()).isEqualTo("Marketing Pool 1");

    assertThatThrownBy(() -> PoolName.of("a"))
        .isInstanceOf(InvalidPoolNameException.class)
        .isInstanceOf(StewardException.class)
        .hasMessageContaining("has 1 characters; SendGrid takes 2 to 64");
    assertThatThrownBy(() -> PoolName.of("p".repeat(65)))
        .isInstanceOf(InvalidPoolNameException.class)
        .hasMessageContaining("65 characters");
    assertThatThrownBy(() -> PoolName.of(" pool"))
        .isInstanceOf(InvalidPoolNameException.class)
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> PoolName.of("a/b"))
        .isInstanceOf(InvalidPoolNameException.class)
        .hasMessageContaining("U+002F at index 1");
    assertThatThrownBy(() -> PoolName.of("a\nb"))
        .isInstanceOf(InvalidPoolNameException.class)
        .hasMessageContaining("U+000A");
    assertThatThrownBy(() -> PoolName.of(null)).isInstanceOf(InvalidPoolNameException.class);
  }

  @Test
  void addressesAreReadStrictlyAndWrittenCanonically() {
    assertThat(IpAddress.of("192.0.2.10").value()).isEqualTo("192.0.2.10");
    assertThat(IpAddress.of("0.0.0.0").isV6()).isFalse();
    assertThat(IpAddress.of("2001:DB8::1").value()).isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(IpAddress.of("2001:db8:0:0:0:0:0:1")).isEqualTo(IpAddress.of("2001:db8::1"));
    assertThat(IpAddress.of("::1").isV6()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "10.1",
        "1.2.3.4.5",
        "256.1.1.1",
        "010.0.0.1",
        "1.2.3.-4",
        "1.2.3.4/24",
        "mail.example.com",
        "localhost",
        "fe80::1%eth0",
        "[2001:db8::1]",
        "2001:db8::1::2",
        "12345::1",
        " 1.2.3.4"
      })
  void notAnAddress(String text) {
    assertThatThrownBy(() -> IpAddress.of(text))
        .isInstanceOf(InvalidIpAddressException.class)
        .hasMessageContaining(text.isEmpty() ? "must not be empty" : "'" + text + "'");
  }

  @Test
  void anAddressErrorNamesTheOctet() {
    assertThatThrownBy(() -> IpAddress.of("192.0.300.1"))
        .hasMessageContaining("octet 3 is 300 (> 255)");
    assertThatThrownBy(() -> IpAddress.of("192.0.02.1")).hasMessageContaining("leading zero");
  }

  @Test
  void streamsFollowTheMessageKind() {
    assertThat(Stream.of(MessageKind.TRANSACTIONAL)).isEqualTo(Stream.TRANSACTIONAL);
    assertThat(Stream.of(MessageKind.OPERATIONAL)).isEqualTo(Stream.TRANSACTIONAL);
    assertThat(Stream.of(MessageKind.PROMOTIONAL)).isEqualTo(Stream.MARKETING);
    assertThat(Stream.of(MessageKind.EDUCATIONAL)).isEqualTo(Stream.MARKETING);
  }

  @Test
  void overlappingTierThresholdsAreRefusedByName() {
    assertThatThrownBy(() -> TierConfig.builder().premiumRatios(0.8, 0.6).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("premium thresholds overlap")
        .hasMessageContaining("0.8")
        .hasMessageContaining("flap");
    assertThatThrownBy(() -> TierConfig.builder().premiumRatios(0.5, 0.5).build())
        .isInstanceOf(InvalidTierConfigException.class);
    assertThatThrownBy(() -> TierConfig.builder().premiumRatios(0.5, 1.5).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("at most 1");
    assertThatThrownBy(() -> TierConfig.builder().premiumDaily(500, 500).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("premium volumes overlap");
    assertThatThrownBy(() -> TierConfig.builder().dedicatedDaily(40_000, 45_000).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("dedicated volumes overlap");
    assertThatThrownBy(() -> TierConfig.builder().dedicatedDaily(2_000, 800).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("dedicated and premium volumes overlap");
    assertThatThrownBy(
            () -> TierConfig.builder().pool(Tier.QUARANTINE, PoolName.of("shared-premium")).build())
        .isInstanceOf(InvalidTierConfigException.class)
        .hasMessageContaining("tiers PREMIUM and QUARANTINE share the pool 'shared-premium'");
    assertThatThrownBy(() -> TierConfig.builder().pool(Tier.DEDICATED, PoolName.of("mine")))
        .isInstanceOf(InvalidTierConfigException.class);
    assertThatThrownBy(() -> TierConfig.builder().minDwell(Duration.ofHours(-1)).build())
        .isInstanceOf(InvalidTierConfigException.class);
    assertThatThrownBy(() -> TierConfig.builder().repeatOffender(0, Duration.ofDays(9)).build())
        .isInstanceOf(InvalidTierConfigException.class);
  }

  @Test
  void defaultsNameTheirPoolsAndReadWarnThresholdsFromTheLadder() {
    TierConfig c = TierConfig.ofDefaults();
    assertThat(c.pool(Tier.QUARANTINE, Stream.MARKETING).value())
        .isEqualTo(Ladder.DEFAULT_QUARANTINE_POOL);
    assertThat(c.warnThreshold(GovernanceMetric.SPAM_RATE)).isEqualTo(0.001);
    Ladder strict =
        Ladder.ofDefaults().toBuilder()
            .threshold(Level.WARN, GovernanceMetric.SPAM_RATE, 0.0005)
            .build();
    assertThat(
            TierConfig.builder().ladder(strict).build().warnThreshold(GovernanceMetric.SPAM_RATE))
        .isEqualTo(0.0005);
    TierConfig split =
        TierConfig.builder()
            .pool(Tier.PREMIUM, Stream.TRANSACTIONAL, PoolName.of("premium-tx"))
            .build();
    assertThat(split.pool(Tier.PREMIUM, Stream.TRANSACTIONAL).value()).isEqualTo("premium-tx");
    assertThat(split.pool(Tier.PREMIUM, Stream.MARKETING))
        .isEqualTo(TierConfig.DEFAULT_PREMIUM_POOL);
  }

  @Test
  void defaultDedicatedPoolNamesAreValidAndDistinctForAwkwardTenantIds() {
    TierConfig c = TierConfig.ofDefaults();
    assertThat(c.dedicatedPool(TenantId.of("acme"), Stream.MARKETING).value())
        .isEqualTo("dedicated-acme-mk");
    PoolName longOne = c.dedicatedPool(TenantId.of("x".repeat(150)), Stream.TRANSACTIONAL);
    PoolName upper = c.dedicatedPool(TenantId.of("ACME"), Stream.MARKETING);
    assertThat(longOne.value()).hasSizeLessThanOrEqualTo(64).endsWith("-tx");
    assertThat(upper).isNotEqualTo(c.dedicatedPool(TenantId.of("acme"), Stream.MARKETING));
  }

  @Test
  void warmupSchedulesAreCheckedAndSendGridsIsThePublishedOne() {
    WarmupSchedule sg = WarmupSchedule.sendGridAutomated();
    assertThat(sg.days()).isEqualTo(42);
    assertThat(sg.limitOnDay(0)).hasValue(20);
    assertThat(sg.limitOnDay(12)).hasValue(1_000);
    assertThat(sg.limitOnDay(41)).hasValue(19_601_056);
    assertThat(sg.limitOnDay(42)).isEmpty();
    assertThatThrownBy(() -> WarmupSchedule.daily(List.of(100L, 50L)))
        .isInstanceOf(InvalidIpPoolException.class)
        .hasMessageContaining("day 1 allows 50, less than day 0's 100");
    assertThatThrownBy(() -> WarmupSchedule.hourly(List.of(0L)))
        .hasMessageContaining("must be positive");
    assertThatThrownBy(() -> WarmupSchedule.daily(List.of())).hasMessageContaining("at least one");
  }
}
