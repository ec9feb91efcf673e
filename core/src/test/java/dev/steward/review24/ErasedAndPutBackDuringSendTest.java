package dev.steward.review24;

import static dev.steward.review24.World24.ACCT;
import static dev.steward.review24.World24.ACME;
import static dev.steward.review24.World24.ANN;
import static dev.steward.review24.World24.MAX;
import static dev.steward.review24.World24.MIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.SendResult;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.Step;
import dev.steward.model.MessageKind;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (a) of the calendar review: a contact erased and put back (another thread or instance
 * calls {@code eraseContact} and then {@code putContact}) while its journey send is at the
 * provider. The step records the handed-over message on the calendar after the erasure, and when
 * the run finds the enrolment gone the contact has a profile again, so nothing erases that record:
 * a SENT entry of the erased enrolment, sent before the erasure, stays on the contact put back.
 */
class ErasedAndPutBackDuringSendTest {
  private static final JourneyDefinition HELLO =
      JourneyDefinition.builder("hello", 1)
          .step(Step.Send.of("hello", "tpl-hello", MessageKind.EDUCATIONAL, "onboarding", null))
          .build();

  @Test
  void theErasedEnrolmentsSentEntryDoesNotSurviveOnTheContactPutBack() {
    World24 w = new World24(HELLO);
    w.putAnn();
    w.steward.journeys().orElseThrow().enrol(ACME, ANN, "hello");
    AtomicBoolean erased = new AtomicBoolean();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    w.transport.respondWith(
        m -> {
          // erased and put back, to its end, while the message is at the provider
          try {
            w.steward.eraseContact(ACME, ANN);
            w.putAnn();
            erased.set(true);
          } catch (RuntimeException e) {
            failed.set(e);
          }
          return SendResult.accepted("provider-1");
        });

    w.steward.runDue();

    assertThat(failed.get()).isNull();
    assertThat(erased).isTrue();
    assertThat(w.transport.sent()).hasSize(1);
    assertThat(w.plain.journeys().contact(ACME, ANN)).isPresent(); // put back
    assertThat(w.steward.calendar().forContact(ACME, ANN, MIN, MAX)).isEmpty();
    assertThat(w.steward.calendar().forAccount(ACME, ACCT, MIN, MAX)).isEmpty();
  }
}
