package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Every log line written while a message is processed can be traced to its tenant and id. */
class DispatcherMdcTest {
  private final SettableClock clock = SettableClock.of(Instant.parse("2026-11-27T10:00:00Z"));

  @Test
  void theTenantAndMessageIdAreInTheMdcWhileGatesAndTransportRunAndGoneAfter() {
    List<String> seen = new ArrayList<>();
    Gate recording =
        new Gate() {
          @Override
          public String name() {
            return "recording";
          }

          @Override
          public Decision evaluate(Message m, Instant now) {
            seen.add("gate " + MDC.get("steward.tenant") + " " + MDC.get("steward.message"));
            return Decision.allow(Reason.of(name(), "ok", Outcome.ALLOW, "ok"));
          }
        };
    RecordingTransport transport =
        RecordingTransport.of()
            .respondWith(
                m -> {
                  seen.add("send " + MDC.get("steward.tenant") + " " + MDC.get("steward.message"));
                  return SendResult.accepted("p-1");
                });
    Dispatcher d = Dispatcher.builder(transport, clock).gate(recording).build();
    Message m =
        Message.builder()
            .tenant(TenantId.of("northwind"))
            .account(AccountId.of("a"))
            .contact(ContactId.of("c"))
            .to("c@example.com")
            .recipientZone(ZoneOffset.UTC)
            .kind(MessageKind.TRANSACTIONAL)
            .category("receipts")
            .source(Source.BILLING)
            .createdAt(clock.instant())
            .build();
    MDC.put("steward.tenant", "outer");

    d.dispatch(m);

    assertThat(seen).containsExactly("gate northwind " + m.id(), "send northwind " + m.id());
    assertThat(MDC.get("steward.tenant")).as("the caller's value comes back").isEqualTo("outer");
    assertThat(MDC.get("steward.message")).isNull();
    MDC.clear();
  }
}
