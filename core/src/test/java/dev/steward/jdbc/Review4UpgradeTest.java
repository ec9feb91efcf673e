package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentGate;
import dev.steward.delivery.Outcome;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import java.sql.Connection;
import java.time.Instant;
import java.time.ZoneOffset;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Upgrading a database written at schema version 5 to the current version.
 *
 * <p>At version 5 {@code Message} already named its tenant, and the gate looked up consent by
 * contact id alone: tenant acme's contact ada who opted out was kept from acme's promotions.
 * Version 6 (V6__consent_tenancy.sql) files every existing consent row under the tenant {@code
 * 'default'}, and nothing reads that tenant for acme's messages any more: after the upgrade every
 * opt-out recorded before it is silently ignored and marketing mail resumes to people who withdrew
 * consent (a legal failure under GDPR/CAN-SPAM), with no warning at bootstrap. The README mentions
 * in passing that old rows "belong to tenant default", which does not tell an operator that all
 * opt-outs stop working; the same holds for version 7's send logs (caps reset for every tenant at
 * the upgrade). Fix: make the upgrade refuse to proceed (or warn loudly) when old rows exist and no
 * tenant mapping is given, or let the consent gate fall back to the 'default' tenant's pre-upgrade
 * rows (opt-outs only: the stricter reading) until they are re-homed.
 *
 * <p>Fixed: {@code StewardSchema.bootstrap(dataSource, tenant)} gives the rows written before
 * tenancy to the tenant the installation sent for, and the plain bootstrap says at WARN how many
 * rows it filed under 'default'.
 */
class Review4UpgradeTest {
  private static final String OLD_OPT_OUT =
      "{\"format\":1,\"contact\":\"ada\",\"optedOutAt\":\"2026-01-01T00:00:00Z\","
          + "\"subscriptions\":{},\"records\":[{\"action\":\"WITHDRAWN\","
          + "\"source\":\"preference-centre\",\"at\":\"2026-01-01T00:00:00Z\"}]}";

  @Test
  void anOptOutRecordedAtVersion5StillStopsMailWhenTheUpgradeNamesItsTenant() throws Exception {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:review4_upgrade;DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(ds, 5);
    try (Connection c = ds.getConnection()) {
      // what a version-5 JdbcConsentStore wrote when acme's contact ada opted out
      Jdbc.update(
          c,
          "INSERT INTO steward_consent (contact_id, document) VALUES (?, ?)",
          "ada",
          OLD_OPT_OUT);
    }

    StewardSchema.bootstrap(ds, TenantId.of("acme"));

    ConsentGate gate = ConsentGate.of(JdbcConsentStore.of(ds));
    Message promo =
        Message.builder()
            .tenant(TenantId.of("acme"))
            .account(AccountId.of("acct"))
            .contact(ContactId.of("ada"))
            .to("ada@acme.example")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.PROMOTIONAL)
            .category("news")
            .source(Source.MARKETING)
            .createdAt(Instant.parse("2026-03-01T00:00:00Z"))
            .build();
    assertThat(gate.evaluate(promo, Instant.parse("2026-03-02T00:00:00Z")).outcome())
        .isEqualTo(Outcome.SUPPRESS);
  }
}
