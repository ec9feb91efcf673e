package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentEventListener;
import dev.steward.consent.ConsentGate;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.InMemorySuppressionStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.SuppressionListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
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
 * Provider events that name only an address (SendGrid's always do) suppress that address through
 * the webhook pipeline with no contact resolver configured; a block does not.
 */
class EmailOnlySuppressionTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final TenantId ACME = TenantId.of("acme");
  static final String ADDRESS = "ana@globex.example";

  final SettableClock clock = SettableClock.of(T0);
  final InMemoryConsentStore consent = InMemoryConsentStore.of();
  final InMemorySuppressionStore suppressions = InMemorySuppressionStore.of();
  final RecordingTransport transport = RecordingTransport.of();
  final PreferenceCentre centre = PreferenceCentre.of(consent, clock);
  final SuppressionListener suppressionListener =
      SuppressionListener.builder(suppressions, clock).build();
  // no resolver: the consent listener cannot find a contact for these events
  final EventPipeline pipeline =
      EventPipeline.inMemory(
          clock,
          b ->
              b.listener("consent", ConsentEventListener.builder(centre).build())
                  .listener("suppressions", suppressionListener));

  Dispatcher dispatcher(ConsentGate gate) {
    return Dispatcher.builder(transport, clock).gate(gate).build();
  }

  final Dispatcher dispatcher = dispatcher(ConsentGate.of(consent, suppressions));

  static EmailEvent byAddress(String id, EmailEventType type, Map<String, String> attributes) {
    return EmailEvent.of(
        id,
        type,
        T0.minusSeconds(60),
        EmailAddress.of(ADDRESS),
        null,
        ACME,
        null,
        null,
        null,
        attributes);
  }

  static Message message(String id, MessageKind kind) {
    return Message.builder()
        .id(dev.steward.model.MessageId.of(id))
        .tenant(ACME)
        .account(AccountId.of("globex"))
        .contact(ContactId.of("c-" + id))
        .to(ADDRESS)
        .kind(kind)
        .category("offers")
        .source(Source.MARKETING)
        .createdAt(T0)
        .build();
  }

  DispatchResult send(String id, MessageKind kind) {
    return dispatcher.dispatch(message(id, kind));
  }

  @Test
  void anEmailOnlyUnsubscribeSuppressesMarketingMailButNotAccountMail() {
    pipeline.ingest(List.of(byAddress("e1", EmailEventType.UNSUBSCRIBE, Map.of())));

    assertThat(send("m1", MessageKind.PROMOTIONAL).status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send("m2", MessageKind.TRANSACTIONAL).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(send("m3", MessageKind.OPERATIONAL).status()).isEqualTo(DispatchStatus.SENT);
  }

  @Test
  void anEmailOnlySpamReportSuppressesAllButTransactionalUnlessTheGateSaysOtherwise() {
    pipeline.ingest(List.of(byAddress("e1", EmailEventType.SPAM_REPORT, Map.of())));

    DispatchResult promo = send("m1", MessageKind.PROMOTIONAL);
    assertThat(promo.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(promo.decision().reasons())
        .extracting(Reason::rule)
        .contains(ConsentGate.RULE_ADDRESS_SPAM_REPORT);
    assertThat(send("m2", MessageKind.OPERATIONAL).status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(send("m3", MessageKind.TRANSACTIONAL).status()).isEqualTo(DispatchStatus.SENT);

    Dispatcher strict =
        dispatcher(
            ConsentGate.builder(consent)
                .suppressions(suppressions)
                .spamReportStopsTransactional(true)
                .build());
    assertThat(strict.dispatch(message("m4", MessageKind.TRANSACTIONAL)).status())
        .isEqualTo(DispatchStatus.SUPPRESSED);
  }

  @Test
  void anEmailOnlyHardBounceSuppressesTransactionalMailToo() {
    pipeline.ingest(List.of(byAddress("e1", EmailEventType.BOUNCE, Map.of("type", "bounce"))));

    DispatchResult receipt = send("m1", MessageKind.TRANSACTIONAL);
    assertThat(receipt.status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(receipt.decision().reasons())
        .extracting(Reason::rule)
        .containsExactly(ConsentGate.RULE_ADDRESS_HARD_BOUNCE);
    assertThat(transport.sent()).isEmpty();
  }

  @Test
  void anEmailOnlyInvalidDropSuppressesEveryKindOfMail() {
    pipeline.ingest(List.of(byAddress("e1", EmailEventType.DROPPED, Map.of("reason", "Invalid"))));

    for (MessageKind kind : MessageKind.values()) {
      assertThat(send("m-" + kind, kind).status())
          .as("%s", kind)
          .isEqualTo(DispatchStatus.SUPPRESSED);
    }
  }

  @Test
  void aBlockDoesNotSuppress() {
    pipeline.ingest(
        List.of(
            byAddress("e1", EmailEventType.BOUNCE, Map.of("type", "blocked")),
            byAddress("e2", EmailEventType.BLOCKED, Map.of())));

    assertThat(send("m1", MessageKind.PROMOTIONAL).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(send("m2", MessageKind.TRANSACTIONAL).status()).isEqualTo(DispatchStatus.SENT);
    assertThat(suppressionListener.eventsNotApplied()).isZero();
  }
}
