package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.health.HealthBandStateStore.BandState;
import dev.steward.model.AccountId;
import dev.steward.model.TenantId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the contract cannot see: monitors with different names share one table. */
class JdbcHealthBandStateStoreTest {
  private static final TestDatabase DB = TestDatabase.postgres();
  private static final TenantId T1 = TenantId.of("t1");
  private static final TenantId T2 = TenantId.of("t2");
  private static final AccountId ACME = AccountId.of("acme");

  @BeforeEach
  void clear() {
    DB.clear();
  }

  @Test
  void monitorsKeepTheirOwnStateButErasingATenantClearsItForEveryMonitor() {
    JdbcHealthBandStateStore colours = JdbcHealthBandStateStore.of(DB.dataSource(), "colours");
    JdbcHealthBandStateStore grades = JdbcHealthBandStateStore.of(DB.dataSource(), "grades");
    colours.update(T1, ACME, s -> BandState.settled("green"));
    grades.update(T1, ACME, s -> BandState.settled("B"));
    grades.update(T2, ACME, s -> BandState.settled("A"));

    assertThat(colours.get(T1, ACME)).contains(BandState.settled("green"));
    assertThat(grades.get(T1, ACME)).contains(BandState.settled("B"));
    assertThat(colours.remove(T1, ACME)).isTrue();
    assertThat(grades.get(T1, ACME)).contains(BandState.settled("B"));

    colours.update(T1, ACME, s -> BandState.settled("green"));
    assertThat(colours.eraseTenant(T1)).isEqualTo(2);

    assertThat(grades.get(T1, ACME)).isEmpty();
    assertThat(grades.get(T2, ACME)).contains(BandState.settled("A"));
  }
}
