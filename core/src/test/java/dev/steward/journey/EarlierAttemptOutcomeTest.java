package dev.steward.journey;

import static dev.steward.journey.JourneyKit.BERLIN;
import static dev.steward.journey.JourneyKit.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DeliveryLedger;
import dev.steward.delivery.DeliveryRecord;
import dev.steward.delivery.DeliveryStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.InMemoryDeliveryLedger;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A send step run again after an earlier run got its message to the dispatcher and stopped before
 * it recorded the outcome (a crash, a lost claim): the dispatcher answers DUPLICATE, and the step
 * records what the ledger says that attempt came to, not "sent" whatever it was.
 */
class EarlierAttemptOutcomeTest {
  private static final Instant START = Instant.parse("2027-03-01T08:00:00Z");

  private static JourneyDefinition oneSend() {
    return JourneyDefinition.builder("one", 1)
        .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
        .build();
  }

  /** Writes the ledger record the earlier run of the contact's first send left behind. */
  private static void earlierAttempt(JourneyKit kit, ContactId c, DeliveryStatus outcome) {
    Enrolment e = kit.only(c);
    Message m =
        Message.builder()
            .id(MessageId.of(JourneyMessageIds.of(e.id(), e.seq())))
            .idempotencyKey("journey:" + e.id() + ":" + e.seq() + ":hello")
            .tenant(TENANT)
            .account(AccountId.of("acct-" + c.value()))
            .contact(c)
            .to(EmailAddress.of(c.value() + "@example.com"))
            .kind(MessageKind.EDUCATIONAL)
            .category("onboarding")
            .templateId("tpl-hello")
            .source(Source.journey(oneSend().team(), "one", "hello"))
            .createdAt(START)
            .build();
    assertThat(kit.dispatcher.ledger().recordIntent(m, START)).isTrue();
    if (outcome != DeliveryStatus.SENDING) {
      assertThat(
              kit.dispatcher
                  .ledger()
                  .markOutcome(TENANT, m.idempotencyKey(), outcome, "sg-earlier", START))
          .isTrue();
    }
  }

  @Test
  void anEarlierAttemptThatFailedForGoodIsRecordedAsFailedNotSent() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(oneSend()));
    ContactId c = kit.contact("c1", BERLIN, Map.of());
    kit.enrol(c, "one");
    earlierAttempt(kit, c, DeliveryStatus.FAILED);

    kit.driver.runDue();

    assertThat(kit.transport.sent()).isEmpty();
    assertThat(kit.outcomes(kit.only(c)))
        .contains(StepOutcome.FAILED)
        .doesNotContain(StepOutcome.SENT);
  }

  @Test
  void anEarlierAttemptThatWasSentIsRecordedAsSentAndNotSentAgain() {
    JourneyKit kit = new JourneyKit(START, b -> b.journey(oneSend()));
    ContactId c = kit.contact("c1", BERLIN, Map.of());
    kit.enrol(c, "one");
    earlierAttempt(kit, c, DeliveryStatus.SENT);

    kit.driver.runDue();

    assertThat(kit.transport.sent()).isEmpty();
    assertThat(kit.outcomes(kit.only(c))).contains(StepOutcome.SENT);
  }

  /** A ledger that has lost every record by the time it is asked (purged, or erased meanwhile). */
  private static final class ForgetfulLedger implements DeliveryLedger {
    private final DeliveryLedger d = InMemoryDeliveryLedger.of();

    @Override
    public boolean recordIntent(Message message, Instant at) {
      return d.recordIntent(message, at);
    }

    @Override
    public boolean markOutcome(
        TenantId tenant, String key, DeliveryStatus status, String providerId, Instant at) {
      return d.markOutcome(tenant, key, status, providerId, at);
    }

    @Override
    public Optional<DeliveryRecord> find(TenantId tenant, String idempotencyKey) {
      return Optional.empty();
    }

    @Override
    public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
      return Optional.empty();
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return d.unsettled(olderThan, max);
    }

    @Override
    public List<DeliveryRecord> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to, int max) {
      return d.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return d.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }

  @Test
  void anEarlierAttemptWhoseRecordIsGoneIsRecordedAsUnknownNotSent() {
    ForgetfulLedger ledger = new ForgetfulLedger();
    JourneyKit kit =
        new JourneyKit(
            START,
            b ->
                b.journey(oneSend())
                    .dispatcher(
                        Dispatcher.builder(RecordingTransport.of(), SettableClock.of(START))
                            .ledger(ledger)
                            .build()));
    ContactId c = kit.contact("c1", BERLIN, Map.of());
    kit.enrol(c, "one");
    Enrolment e = kit.only(c);
    // the earlier run's intent: the dispatcher answers DUPLICATE, and the ledger then finds nothing
    Message m =
        Message.builder()
            .id(MessageId.of(JourneyMessageIds.of(e.id(), e.seq())))
            .idempotencyKey("journey:" + e.id() + ":" + e.seq() + ":hello")
            .tenant(TENANT)
            .account(AccountId.of("acct-c1"))
            .contact(c)
            .to(EmailAddress.of("c1@example.com"))
            .kind(MessageKind.EDUCATIONAL)
            .category("onboarding")
            .templateId("tpl-hello")
            .source(Source.journey(oneSend().team(), "one", "hello"))
            .createdAt(START)
            .build();
    assertThat(ledger.recordIntent(m, START)).isTrue();

    kit.driver.runDue();

    assertThat(kit.outcomes(kit.only(c)))
        .contains(StepOutcome.UNKNOWN)
        .doesNotContain(StepOutcome.SENT);
  }
}
