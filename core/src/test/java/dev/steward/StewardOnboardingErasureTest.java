package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchStatus;
import dev.steward.jdbc.JdbcOnboardingStore;
import dev.steward.jdbc.JdbcPilotStore;
import dev.steward.jdbc.JdbcStores;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.Verdict;
import dev.steward.onboarding.WarmUpPlan;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Steward#eraseTenant} reaches the onboarding record and the pilot's state and counts in the
 * database, and leaves other tenants' alone; the tenant gate works over the JDBC stores.
 */
class StewardOnboardingErasureTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final Actor RULE = Actor.rule("test");
  private static final List<String> TABLES =
      List.of("steward_onboarding", "steward_pilot", "steward_pilot_day", "steward_pilot_send");

  private final SettableClock clock = SettableClock.of(Instant.parse("2026-06-01T23:00:00Z"));

  private final SenderIdentities senders =
      new SenderIdentities() {
        @Override
        public Optional<EmailAddress> from(Message m) {
          return Optional.of(EmailAddress.of("news@" + m.tenant().value() + ".example"));
        }

        @Override
        public boolean domainAuthenticated(TenantId t, String domain) {
          return domain.equals(t.value() + ".example");
        }
      };

  /**
   * The tenant's rows in {@code table}; of onboarding's, those that still hold a record (erasure
   * leaves a tombstone row with state ERASED and an empty document, so a stale move read before the
   * erasure cannot match a re-enrolled tenant's version).
   */
  private static long rows(JdbcDataSource ds, String table, TenantId t) throws SQLException {
    String live = table.equals("steward_onboarding") ? " AND state <> 'ERASED'" : "";
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT count(*) FROM " + table + " WHERE tenant_id = ?" + live)) {
      s.setString(1, t.value());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static String tombstoneDocument(JdbcDataSource ds, TenantId t) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT document FROM steward_onboarding WHERE tenant_id = ? AND state = 'ERASED'")) {
      s.setString(1, t.value());
      try (ResultSet rs = s.executeQuery()) {
        assertThat(rs.next()).as("a tombstone row").isTrue();
        return rs.getString(1);
      }
    }
  }

  private void intoPilot(OnboardingStateMachine m, TenantId t) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
  }

  private static Message message(TenantId t, int n) {
    return Message.builder()
        .tenant(t)
        .account(AccountId.of("a"))
        .contact(ContactId.of("c" + n))
        .to("c" + n + "@example.com")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("offers")
        .source(Source.MARKETING)
        .createdAt(Instant.parse("2026-06-01T00:00:00Z"))
        .build();
  }

  @Test
  void erasingATenantReachesItsOnboardingRecordAndItsPilotInTheDatabase() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:onboarding-erasure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    Steward steward =
        Steward.builder(clock)
            .stores(JdbcStores.bootstrapped(ds))
            .transport(RecordingTransport.of())
            .onboarding(JdbcOnboardingStore.of(ds))
            .tenantGate(
                JdbcPilotStore.of(ds),
                senders,
                g -> g.plan(WarmUpPlan.builder().stages(3, 6).build()))
            .build();
    OnboardingStateMachine machine = steward.onboarding().orElseThrow();
    for (TenantId t : List.of(ACME, GLOBEX)) {
      intoPilot(machine, t);
      // the gate over the JDBC pilot store: three a day, the fourth deferred
      List<DispatchStatus> statuses = new java.util.ArrayList<>();
      for (int n = 0; n < 4; n++) {
        statuses.add(steward.dispatch(message(t, n)).status());
      }
      assertThat(statuses)
          .containsExactly(
              DispatchStatus.SENT,
              DispatchStatus.SENT,
              DispatchStatus.SENT,
              DispatchStatus.DEFERRED);
    }
    for (String table : TABLES) {
      assertThat(rows(ds, table, ACME)).as(table).isPositive();
    }
    assertThat(rows(ds, "steward_pilot_send", ACME)).isEqualTo(3);

    steward.eraseTenant(ACME);

    for (String table : TABLES) {
      assertThat(rows(ds, table, ACME)).as(table + " of the erased tenant").isZero();
      assertThat(rows(ds, table, GLOBEX)).as(table + " of another tenant").isPositive();
    }
    assertThat(machine.find(ACME)).isEmpty();
    assertThat(tombstoneDocument(ds, ACME)).as("the tombstone keeps no record").isIn("", "{}");
    assertThat(steward.tenantGate().orElseThrow().pilotState(ACME)).isEmpty();
    assertThat(steward.dispatch(message(ACME, 9)).status())
        .as("an erased tenant is no longer enrolled")
        .isEqualTo(DispatchStatus.SUPPRESSED);
  }
}
