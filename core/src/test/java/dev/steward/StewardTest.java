package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The front door wires a pipeline whose parts work together. */
class StewardTest {
  private static final TenantId TENANT = TenantId.of("northwind");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T15:00:00Z"));
  private final RecordingTransport transport = RecordingTransport.of();

  private Steward steward() {
    return Steward.builder(clock)
        .transport(transport)
        .capPolicy(
            CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1)))).build())
        .build();
  }

  private Message message(String contact) {
    return Message.builder()
        .tenant(TENANT)
        .account(AccountId.of("acme"))
        .contact(ContactId.of(contact))
        .to(contact + "@acme.example")
        .recipientZone(ZoneId.of("Europe/Berlin"))
        .kind(MessageKind.PROMOTIONAL)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  @Test
  void aCappedMessageIsDeferredAndSentWhenDueByTheRunner() {
    Steward steward = steward();
    assertThat(steward.dispatch(message("ada")).status()).isEqualTo(DispatchStatus.SENT);

    DispatchResult second = steward.dispatch(message("ada"));

    assertThat(second.status()).isEqualTo(DispatchStatus.DEFERRED);
    assertThat(transport.sent()).hasSize(1);
    clock.advance(Duration.ofDays(1).plusMinutes(1));
    assertThat(steward.runDue()).isPositive();
    assertThat(transport.sent()).hasSize(2);
    assertThat(steward.metrics().count(StewardMetrics.DISPATCH_RESULTS, Map.of("status", "SENT")))
        .as("the first send and the deferred one")
        .isEqualTo(2);
    assertThat(
            steward.metrics().count(StewardMetrics.DISPATCH_RESULTS, Map.of("status", "DEFERRED")))
        .isEqualTo(1);
  }

  @Test
  void anUnsubscribeAcceptedFromTheProviderSuppressesTheNextMessage() {
    Steward steward = steward();
    steward.accept(
        List.of(
            EmailEvent.builder("ev-1", EmailEventType.UNSUBSCRIBE, clock.instant())
                .tenant(TENANT)
                .contact(ContactId.of("ada"))
                .email("ada@acme.example")
                .build()));
    steward.runDue();

    assertThat(steward.dispatch(message("ada")).status()).isEqualTo(DispatchStatus.SUPPRESSED);
    assertThat(steward.metrics().count(StewardMetrics.EVENTS, Map.of("type", "UNSUBSCRIBE")))
        .isEqualTo(1);
  }

  @Test
  void erasingAContactCancelsItsDeferredMailAndForgetsItsRecords() {
    Steward steward = steward();
    Message first = message("ada");
    steward.dispatch(first);
    steward.dispatch(message("ada")); // deferred
    steward.dispatch(message("bob"));

    steward.eraseContact(TENANT, ContactId.of("ada"));

    assertThat(steward.dispatcher().pendingFor(TENANT, ContactId.of("ada"))).isEmpty();
    assertThat(steward.stores().ledger().find(TENANT, first.idempotencyKey())).isEmpty();
    clock.advance(Duration.ofDays(2));
    steward.runDue();
    assertThat(transport.sent())
        .extracting(m -> m.contact().value())
        .as("the deferred message to the erased contact never goes out")
        .containsExactly("ada", "bob");
    assertThat(steward.dispatch(message("ada")).status())
        .as("its send log is gone too")
        .isEqualTo(DispatchStatus.SENT);
  }

  @Test
  void erasingATenantRemovesItsDeliveryRecordsAndWork() {
    Steward steward = steward();
    Message m = message("ada");
    steward.dispatch(m);
    steward.dispatch(message("ada"));

    steward.eraseTenant(TENANT);

    assertThat(steward.stores().ledger().find(TENANT, m.idempotencyKey())).isEmpty();
    assertThat(steward.dispatcher().pendingFor(TENANT, ContactId.of("ada"))).isEmpty();
    assertThat(steward.stores().ledger().findByMessage(m.id()).map(r -> r.status()))
        .isNotEqualTo(java.util.Optional.of(DeliveryStatus.SENT));
  }

  @Test
  void aBuilderWithoutATransportSaysWhatIsMissing() {
    assertThatThrownBy(() -> Steward.builder(clock).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a transport");
  }
}
