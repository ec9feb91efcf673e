package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentEventListener;
import dev.steward.consent.ConsentGate;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.SuppressionListener;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.EventPipeline;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same contact id and the same address under two tenants are two recipients: consent,
 * suppressions and erasure of one never reach the other.
 */
class TenantIsolationTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final TenantId GLOBEX = TenantId.of("globex");
  static final ContactId ANA = ContactId.of("ana");
  static final EmailAddress ANA_MAIL = EmailAddress.of("ana@shared.example");

  final SettableClock clock = SettableClock.of(T0);
  final InMemoryConsentStore consent = InMemoryConsentStore.of();
  final InMemorySuppressionStore suppressions = InMemorySuppressionStore.of();
  final PreferenceCentre centre = PreferenceCentre.of(consent, clock);
  final EventPipeline pipeline =
      EventPipeline.inMemory(
          clock,
          b ->
              b.listener("consent", ConsentEventListener.builder(centre).build())
                  .listener(
                      "suppressions", SuppressionListener.builder(suppressions, clock).build()));
  final Dispatcher dispatcher =
      Dispatcher.builder(RecordingTransport.of(), clock)
          .gate(ConsentGate.of(consent, suppressions))
          .build();
  int sent;

  DispatchStatus send(TenantId tenant, MessageKind kind, String category) {
    return dispatcher
        .dispatch(
            Message.builder()
                .id(MessageId.of("m" + ++sent))
                .tenant(tenant)
                .account(AccountId.of("shared-account"))
                .contact(ANA)
                .to(ANA_MAIL.value())
                .kind(kind)
                .category(category)
                .source(Source.MARKETING)
                .createdAt(T0)
                .build())
        .status();
  }

  static EmailEvent event(
      String id,
      EmailEventType type,
      TenantId tenant,
      ContactId contact,
      String category,
      Map<String, String> attrs) {
    return EmailEvent.of(
        id, type, T0.minusSeconds(30), ANA_MAIL, null, tenant, null, contact, category, attrs);
  }

  @Test
  void consentOfOneTenantNeverReachesTheSameContactIdOfAnother() {
    centre.optOut(ACME, ANA, "preference-centre");
    centre.unsubscribe(GLOBEX, ANA, "tips", "preference-centre");
    pipeline.ingest(
        List.of(event("e1", EmailEventType.GROUP_UNSUBSCRIBE, GLOBEX, ANA, "news", Map.of())));

    assertThat(send(ACME, MessageKind.PROMOTIONAL, "offers")).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "offers")).isEqualTo(DispatchStatus.SENT);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "tips")).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "news")).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send(ACME, MessageKind.TRANSACTIONAL, "tips")).isEqualTo(DispatchStatus.SENT);
    assertThat(centre.isUnsubscribed(ACME, ANA, "news")).isFalse();
    assertThat(suppressions.find(ACME, ANA_MAIL)).isEmpty();
  }

  @Test
  void suppressionsOfOneTenantNeverReachTheSameAddressUnderAnother() {
    pipeline.ingest(
        List.of(
            event("e1", EmailEventType.BOUNCE, ACME, null, null, Map.of("type", "bounce")),
            event("e2", EmailEventType.SPAM_REPORT, GLOBEX, null, null, Map.of())));

    assertThat(send(ACME, MessageKind.TRANSACTIONAL, "receipts"))
        .isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send(GLOBEX, MessageKind.TRANSACTIONAL, "receipts")).isEqualTo(DispatchStatus.SENT);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "offers"))
        .isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(centre.isOptedOut(ACME, ANA)).isFalse();
    assertThat(centre.isOptedOut(GLOBEX, ANA)).isFalse();
  }

  @Test
  void erasingAContactOrATenantNeverReachesAnother() {
    centre.optOut(ACME, ANA, "preference-centre");
    centre.optOut(GLOBEX, ANA, "preference-centre");
    pipeline.ingest(
        List.of(
            event("e1", EmailEventType.UNSUBSCRIBE, ACME, null, null, Map.of()),
            event("e2", EmailEventType.UNSUBSCRIBE, GLOBEX, null, null, Map.of())));

    assertThat(centre.erase(ACME, ANA)).isTrue();
    assertThat(centre.isOptedOut(ACME, ANA)).isFalse();
    assertThat(centre.isOptedOut(GLOBEX, ANA)).isTrue();

    assertThat(suppressions.eraseTenant(ACME)).isEqualTo(1);
    assertThat(centre.eraseTenant(ACME)).as("ana's erasure tombstone").isEqualTo(1);
    assertThat(suppressions.find(ACME, ANA_MAIL)).isEmpty();
    assertThat(suppressions.find(GLOBEX, ANA_MAIL)).isPresent();
    assertThat(send(ACME, MessageKind.PROMOTIONAL, "offers")).isEqualTo(DispatchStatus.SENT);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "offers"))
        .isEqualTo(DispatchStatus.SUPPRESSED);

    assertThat(centre.eraseTenant(GLOBEX)).isEqualTo(1);
    assertThat(suppressions.eraseTenant(GLOBEX)).isEqualTo(1);
    assertThat(send(GLOBEX, MessageKind.PROMOTIONAL, "offers")).isEqualTo(DispatchStatus.SENT);
  }
}
