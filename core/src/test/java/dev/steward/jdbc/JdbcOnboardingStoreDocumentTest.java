package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A stored onboarding document naming an unknown state or phase is refused, never defaulted; an
 * erased tenant's row keeps nothing but its version.
 */
class JdbcOnboardingStoreDocumentTest {
  private static final TestDatabase DB = TestDatabase.h2(JdbcOnboardingStoreDocumentTest.class);

  private static void tamper(String from, String to) throws Exception {
    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE steward_onboarding SET document = REPLACE(document, ?, ?)")) {
      ps.setString(1, from);
      ps.setString(2, to);
      ps.executeUpdate();
    }
  }

  @Test
  void anUnknownStateInTheDocumentIsRefusedNamingTheField() throws Exception {
    DB.clear();
    JdbcOnboardingStore store = JdbcOnboardingStore.of(DB.dataSource());
    TenantId acme = TenantId.of("acme");
    store.insert(
        OnboardingRecord.enrolled(
            acme, Actor.human("alice"), Instant.parse("2026-03-01T00:00:00Z")));
    tamper("\"state\":\"VETTING\"", "\"state\":\"WARMING\"");

    assertThatThrownBy(() -> store.find(acme))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("state is 'WARMING', not a known OnboardingState");
  }

  @Test
  void anUnknownActorKindIsRefusedNamingThePath() throws Exception {
    DB.clear();
    JdbcOnboardingStore store = JdbcOnboardingStore.of(DB.dataSource());
    TenantId acme = TenantId.of("acme");
    store.insert(
        OnboardingRecord.enrolled(
            acme, Actor.human("alice"), Instant.parse("2026-03-01T00:00:00Z")));
    tamper("\"kind\":\"HUMAN\"", "\"kind\":\"ROBOT\"");

    assertThatThrownBy(() -> store.find(acme))
        .isInstanceOf(JdbcStoreException.class)
        .hasMessageContaining("enrolledBy.kind is 'ROBOT'");
  }

  @Test
  void anErasedTenantsRowKeepsItsVersionOnly() throws Exception {
    DB.clear();
    JdbcOnboardingStore store = JdbcOnboardingStore.of(DB.dataSource());
    TenantId acme = TenantId.of("acme");
    store.insert(
        OnboardingRecord.enrolled(
            acme, Actor.human("alice"), Instant.parse("2026-03-01T00:00:00Z")));
    assertThat(store.eraseTenant(acme)).isTrue();

    try (Connection c = DB.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT state, version, document FROM steward_onboarding");
        java.sql.ResultSet rs = ps.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ERASED");
      assertThat(rs.getLong(2)).isEqualTo(1);
      assertThat(rs.getString(3)).isEmpty();
      assertThat(rs.next()).isFalse();
    }
  }
}
