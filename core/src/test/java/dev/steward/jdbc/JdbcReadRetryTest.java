package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkState;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every store read is repeated after a lost connection (a read cannot have changed anything), not
 * refused as a write whose outcome is unknown: the engagement, health history, health band and work
 * stores' reads were not marked as safe to repeat.
 */
class JdbcReadRetryTest {
  private static final TestDatabase DB = TestDatabase.h2(JdbcReadRetryTest.class);
  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().maxAttempts(4).backoffBase(Duration.ZERO).build();
  private static final TenantId T = TenantId.of("t");
  private static final AccountId ACME = AccountId.of("acme");
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private static final FlakyDataSource DS = new FlakyDataSource(DB.dataSource());
  private static final Jdbc JDBC = new Jdbc(DS, FAST);

  static Stream<Arguments> reads() {
    JdbcConsentStore consents = new JdbcConsentStore(JDBC);
    JdbcSuppressionStore suppressions = new JdbcSuppressionStore(JDBC);
    JdbcEngagementStore engagement = new JdbcEngagementStore(JDBC);
    JdbcHealthHistoryStore history = new JdbcHealthHistoryStore(JDBC);
    JdbcHealthBandStateStore bands = new JdbcHealthBandStateStore(JDBC, "default");
    JdbcWorkStore work = new JdbcWorkStore(JDBC, 1_000);
    return Stream.of(
        read("a consent", () -> consents.find(T, ContactId.of("ada"))),
        read("consent changes", () -> consents.changesAfter(0, 10)),
        read("suppressions", () -> suppressions.find(T, EmailAddress.of("ana@example.com"))),
        read("a page of suppressions", () -> suppressions.list(T, 10)),
        read("engagement events", () -> engagement.events(T, ACME, T0, T0.plusSeconds(60))),
        read("health history", () -> history.history(T, ACME, T0, T0.plusSeconds(60))),
        read("recent health", () -> history.recent(T, ACME, 3)),
        read("health at an instant", () -> history.atOrBefore(T, ACME, T0)),
        read("accounts with health", () -> history.accounts(T)),
        read("health band", () -> bands.get(T, ACME)),
        read("a work item", () -> work.find(WorkKey.of(T, "kind", "id"))),
        read("a subject's work", () -> work.findBySubject(T, "subject", "kind")),
        read("dead work", () -> work.dead(10)),
        read("counted work", () -> work.count(WorkState.READY)));
  }

  private static Arguments read(String name, Supplier<?> read) {
    return Arguments.of(name, read);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void aReadIsRepeatedAfterALostConnection(String name, Supplier<?> read) {
    DB.clear();
    JDBC.dialect();
    DS.statement().fail(2, "08006");

    Object answer = read.get();

    assertThat(answer).as(name).isNotNull();
    assertThat(DS.statement().calls()).as(name).isEqualTo(3);
  }
}
