package dev.steward.review15b;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Dispatcher;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tenant gate's release (its pilot store) fails while a later gate refuses the message: the
 * gates before it must still give their reservations back.
 */
class ReleaseFailureTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** A gate that counts what it holds: a frequency cap's slot, say. */
  private static final class Counting implements Gate {
    final AtomicInteger held = new AtomicInteger();

    @Override
    public String name() {
      return "frequency";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      held.incrementAndGet();
      return Decision.allow(Reason.of("frequency", "ok", Outcome.ALLOW, "under the caps"));
    }

    @Override
    public void release(Message message, Instant decidedAt) {
      held.decrementAndGet();
    }
  }

  /** The tenant gate with its pilot store down at release. */
  private static final class StoreDownAtRelease implements Gate {
    @Override
    public String name() {
      return "tenant";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      return Decision.allow(Reason.of("tenant", "pilot-cap", Outcome.ALLOW, "within the cap"));
    }

    @Override
    public void release(Message message, Instant decidedAt) {
      throw new IllegalStateException("pilot store unavailable");
    }
  }

  /** A later gate that refuses. */
  private static final class Refusing implements Gate {
    @Override
    public String name() {
      return "later";
    }

    @Override
    public Decision evaluate(Message message, Instant now) {
      return Decision.suppress(Reason.of("later", "no", Outcome.SUPPRESS, "refused"));
    }
  }

  @Test
  void aFailingReleaseDoesNotKeepTheEarlierGatesReservations() {
    Counting frequency = new Counting();
    Dispatcher d =
        Dispatcher.builder(RecordingTransport.of(), SettableClock.of(T0))
            .gate(frequency)
            .gate(new StoreDownAtRelease())
            .gate(new Refusing())
            .build();
    Message m =
        Message.builder()
            .id(MessageId.of("m-1"))
            .tenant(TenantId.of("t-1"))
            .account(AccountId.of("acme"))
            .contact(ContactId.of("c-1"))
            .to("c-1@example.com")
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(T0)
            .build();

    assertThatThrownBy(() -> d.dispatch(m)).hasMessageContaining("pilot store unavailable");

    assertThat(frequency.held.get())
        .as("the frequency gate's slot is given back though the tenant gate's release failed")
        .isZero();
  }
}
