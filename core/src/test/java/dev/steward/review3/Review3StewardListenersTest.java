package dev.steward.review3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.Steward;
import dev.steward.StewardMetrics;
import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkListener;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Hostile review of how {@code Steward.builder} fans out to the listeners it is given. */
class Review3StewardListenersTest {
  private static final TenantId TENANT = TenantId.of("alpha");
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-03-02T12:00:00Z"));
  private final RecordingTransport transport = RecordingTransport.of();

  private Message promo(String contact) {
    return Message.builder()
        .tenant(TENANT)
        .account(AccountId.of("acct"))
        .contact(ContactId.of(contact))
        .to(contact + "@alpha.example")
        .recipientZone(ZoneOffset.UTC)
        .kind(MessageKind.PROMOTIONAL)
        .category("news")
        .source(Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  /**
   * The Dispatcher isolates its listeners (each call in its own try/catch), but Steward registers
   * one fan-out listener that calls its list with {@code forEach}: the first listener that throws
   * stops the rest. An audit or billing listener added after a buggy one silently misses results,
   * while the Dispatcher's contract (a failing listener costs nothing) appears to hold.
   */
  @Test
  void aThrowingDispatchListenerHidesResultsFromTheListenersAfterIt() {
    List<DispatchResult> seen = new CopyOnWriteArrayList<>();
    Steward steward =
        Steward.builder(clock)
            .transport(transport)
            .listener(
                new DispatchListener() {
                  @Override
                  public void onResult(DispatchResult result) {
                    throw new IllegalStateException("a buggy listener");
                  }
                })
            .listener(
                new DispatchListener() {
                  @Override
                  public void onResult(DispatchResult result) {
                    seen.add(result);
                  }
                })
            .build();

    DispatchResult r = steward.dispatch(promo("ada"));

    assertThat(r.status()).isEqualTo(DispatchStatus.SENT);
    assertThat(seen).as("the second listener sees the result").containsExactly(r);
  }

  /**
   * The same for work listeners: the WorkRunner isolates its one listener, but Steward's fan-out
   * stops at the first that throws, so later work listeners (an alerting hook on DEAD work, say)
   * never hear of finished or failed work.
   */
  @Test
  void aThrowingWorkListenerHidesWorkFromTheListenersAfterIt() {
    List<String> finished = new ArrayList<>();
    Steward steward =
        Steward.builder(clock)
            .transport(transport)
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(1, Window.rolling(Duration.ofDays(1))))
                    .build())
            .workListener(
                new WorkListener() {
                  @Override
                  public void onFinished(WorkItem item, Next next, Duration took) {
                    throw new IllegalStateException("a buggy work listener");
                  }
                })
            .workListener(
                new WorkListener() {
                  @Override
                  public void onFinished(WorkItem item, Next next, Duration took) {
                    synchronized (finished) {
                      finished.add(item.key().kind());
                    }
                  }
                })
            .build();
    steward.dispatch(promo("ada"));
    steward.dispatch(promo("ada")); // deferred a day
    clock.advance(Duration.ofDays(1).plusMinutes(1));

    steward.runDue();

    assertThat(transport.sent()).hasSize(2);
    assertThat(steward.metrics().total(StewardMetrics.WORK_FINISHED))
        .as("the metrics (called first) saw it")
        .isPositive();
    assertThat(finished)
        .as("the second work listener hears of the deferred message's run")
        .isNotEmpty();
  }
}
