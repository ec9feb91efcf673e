package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Dispatcher#dispatchAll} writes intents a group at a time ({@link
 * Dispatcher.Builder#intentsAhead}): when a message is sent, the intents of its own group are
 * written and those of later groups are not, so a process dying mid-batch leaves at most one group
 * with an unknown outcome.
 */
class DispatchAllGroupsTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  @Test
  void aSendFindsItsGroupsIntentsWrittenAndNoLaterOnes() {
    InMemoryDeliveryLedger ledger = InMemoryDeliveryLedger.of();
    List<Message> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(
          Messages.promo("c" + i).id(MessageId.of("m" + i)).idempotencyKey("k" + i).build());
    }
    Map<Integer, List<Boolean>> writtenAtSend = new ConcurrentHashMap<>();
    MailTransport transport =
        m -> {
          int sending = messages.indexOf(m);
          List<Boolean> seen = new ArrayList<>();
          for (Message other : messages) {
            Optional<DeliveryRecord> r = ledger.find(other.tenant(), other.idempotencyKey());
            seen.add(r.isPresent());
          }
          writtenAtSend.put(sending, seen);
          return SendResult.accepted("sg-" + m.id().value());
        };
    Dispatcher dispatcher =
        Dispatcher.builder(transport, SettableClock.of(T0)).ledger(ledger).intentsAhead(4).build();

    List<DispatchResult> results = dispatcher.dispatchAll(messages);

    assertThat(results).extracting(DispatchResult::status).containsOnly(DispatchStatus.SENT);
    for (int i = 0; i < 10; i++) {
      int groupEnd = Math.min(10, (i / 4 + 1) * 4);
      List<Boolean> seen = writtenAtSend.get(i);
      for (int j = 0; j < 10; j++) {
        assertThat(seen.get(j))
            .as("at the send of message %d, the intent of message %d", i, j)
            .isEqualTo(j < groupEnd);
      }
    }
  }

  @Test
  void intentsAheadBelowOneIsRefusedByName() {
    assertThatThrownBy(
            () ->
                Dispatcher.builder(m -> SendResult.accepted("x"), SettableClock.of(T0))
                    .intentsAhead(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("intentsAhead")
        .hasMessageContaining("0");
  }
}
