package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ContactConsent;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consent and suppression stores' reads are repeated after a lost connection, as every other
 * store's reads are: a dispatch's consent gate reads them, and a read cannot have changed anything.
 */
class JdbcConsentReadRetryTest {
  private static final TestDatabase DB = TestDatabase.h2(JdbcConsentReadRetryTest.class);
  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().maxAttempts(4).backoffBase(Duration.ZERO).build();
  private static final TenantId T = TenantId.of("t");
  private static final ContactId ADA = ContactId.of("ada");
  private static final EmailAddress ANA = EmailAddress.of("ana@example.com");
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private FlakyDataSource ds;
  private JdbcConsentStore consents;
  private JdbcSuppressionStore suppressions;

  @BeforeEach
  void stores() {
    DB.clear();
    ds = new FlakyDataSource(DB.dataSource());
    Jdbc jdbc = new Jdbc(ds, FAST);
    jdbc.dialect();
    consents = new JdbcConsentStore(jdbc);
    suppressions = new JdbcSuppressionStore(jdbc);
    consents.update(T, ADA, c -> ContactConsent.tombstone(T, ADA, T0));
    suppressions.add(Suppression.of(T, ANA, SuppressionReason.HARD_BOUNCE, T0, "provider:bounce"));
  }

  @Test
  void aConsentReadIsRepeatedAfterALostConnection() {
    ds.statement().fail(2, "08006");
    Optional<ContactConsent> found = consents.find(T, ADA);

    assertThat(found).hasValue(ContactConsent.tombstone(T, ADA, T0));
    assertThat(ds.statement().calls()).isEqualTo(3);

    ds.statement().fail(2, "08006");
    assertThat(consents.changesAfter(0, 10)).isNotEmpty();
    assertThat(ds.statement().calls()).isEqualTo(3);
  }

  @Test
  void aSuppressionReadIsRepeatedAfterALostConnection() {
    ds.statement().fail(2, "08006");
    assertThat(suppressions.find(T, ANA)).isPresent();
    assertThat(ds.statement().calls()).isEqualTo(3);

    ds.statement().fail(2, "08006");
    assertThat(suppressions.list(T, 10)).hasSize(1);
    assertThat(ds.statement().calls()).isEqualTo(3);
  }
}
