package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ContactConsent;
import dev.steward.consent.Frequency;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.Subscription;
import dev.steward.delivery.Decision;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hostile review (rb3): the limiter's set-based decision reads the list's contacts' chosen
 * frequencies once ({@link ConsentPreferences}): a list with one contact id under two tenants (a
 * frequency chosen under one only), the same contact twice and two accounts is decided as the
 * messages decided one by one.
 */
class ConsentPreferencesRb3Test {
  private static final Instant MON_10 = Instant.parse("2026-01-05T10:00:00Z");
  private static final TenantId T1 = TenantId.of("t1");
  private static final TenantId T2 = TenantId.of("t2");
  private static final ContactId ANN = ContactId.of("ann");

  private static Message news(TenantId tenant, String contact, String account) {
    Message m = Messages.to(contact, account, ZoneOffset.UTC, MessageKind.EDUCATIONAL, "news");
    return m.toBuilder().tenant(tenant).build();
  }

  /** A consent store where ann chose a monthly news under t1 only. */
  private static InMemoryConsentStore consent() {
    InMemoryConsentStore consent = InMemoryConsentStore.of();
    consent.update(
        T1,
        ANN,
        c ->
            new ContactConsent(
                T1,
                ANN,
                null,
                Map.of("news", new Subscription("news", true, Frequency.MONTHLY, MON_10)),
                List.of()));
    return consent;
  }

  @Test
  void aListOfTwoTenantsAndAContactTwiceIsDecidedAsEachAlone() {
    List<Message> list =
        List.of(
            news(T1, "ann", "acme"),
            news(T2, "ann", "acme"),
            news(T1, "ann", "beta"),
            news(T1, "bob", "acme"),
            news(T2, "ann", "beta"));
    FrequencyCapLimiter alone =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), SettableClock.of(MON_10))
            .consent(consent())
            .build();
    List<Decision> expected = new ArrayList<>();
    for (Message m : list) {
      expected.add(alone.decide(m, MON_10));
    }
    FrequencyCapLimiter together =
        FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), SettableClock.of(MON_10))
            .consent(consent())
            .build();

    List<Decision> actual = FrequencyGate.of(together).evaluateAll(list, MON_10);

    assertThat(actual).isEqualTo(expected);
    assertThat(expected.get(2).isAllowed()).as("ann's second news under t1").isFalse();
    assertThat(expected.get(4).isAllowed()).as("ann's second news under t2").isTrue();
  }
}
