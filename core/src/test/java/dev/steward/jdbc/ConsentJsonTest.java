package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ContactConsent;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The erasure tombstone is an optional field: no new format, no migration. */
class ConsentJsonTest {
  private static final TenantId T = TenantId.of("acme");
  private static final ContactId ADA = ContactId.of("ada");

  @Test
  void aDocumentWrittenBeforeTombstonesReadsAsNeverErased() {
    String old =
        "{\"format\":1,\"contact\":\"ada\",\"optedOutAt\":\"2026-01-01T00:00:00Z\","
            + "\"subscriptions\":{},\"records\":[{\"action\":\"WITHDRAWN\","
            + "\"source\":\"preference-centre\",\"at\":\"2026-01-01T00:00:00Z\"}]}";

    ContactConsent read = ConsentJson.read(T, old);

    assertThat(read.erasedAt()).isEmpty();
    assertThat(read.optedOut()).isTrue();
    assertThat(ConsentJson.write(read)).doesNotContain("erasedAt");
  }

  @Test
  void aTombstoneRoundTripsToTheNanosecond() {
    ContactConsent tombstone =
        ContactConsent.tombstone(T, ADA, Instant.parse("2026-03-01T10:00:00.123456789Z"));

    String json = ConsentJson.write(tombstone);

    assertThat(json).contains("\"erasedAt\":\"2026-03-01T10:00:00.123456789Z\"");
    assertThat(ConsentJson.read(T, json)).isEqualTo(tombstone);
  }
}
