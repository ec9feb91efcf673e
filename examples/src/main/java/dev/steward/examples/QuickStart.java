package dev.steward.examples;

import dev.steward.Steward;
import dev.steward.delivery.DispatchResult;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/** The README's quick-start snippet, compiled so that it stays true. */
public final class QuickStart {
  private QuickStart() {}

  /** Builds the pipeline of the README and dispatches one message. */
  public static DispatchResult run(Clock clock) {
    // --- README snippet starts
    Steward steward =
        Steward.builder(clock) // every part reads this clock
            .transport(RecordingTransport.of()) // the SendGrid transport goes here
            .capPolicy(
                CapPolicy.builder()
                    .cap(Cap.perContact(2, Window.rolling(Duration.ofDays(7))))
                    .cap(Cap.perContact(1, Window.day()).eachCategory())
                    .quietHours(LocalTime.of(21, 0), LocalTime.of(8, 0))
                    .build())
            .build(); // stores in memory; .stores(JdbcStores.of(dataSource)) for PostgreSQL

    DispatchResult result =
        steward.dispatch(
            Message.builder()
                .tenant(TenantId.of("northwind"))
                .account(AccountId.of("acme"))
                .contact(ContactId.of("ada"))
                .to("ada@acme.example")
                .recipientZone(ZoneId.of("America/New_York"))
                .kind(MessageKind.PROMOTIONAL)
                .category("spring-sale")
                .source(Source.MARKETING)
                .createdAt(clock.instant())
                .build());
    // result.status(): SENT, DEFERRED (with decision().notBefore()), SUPPRESSED, ...
    // result.decision().reasons(): every rule that applied, with its counts
    // --- README snippet ends
    return result;
  }

  public static void main(String[] args) {
    DispatchResult r = run(Clock.fixed(Instant.parse("2026-03-02T03:00:00Z"), ZoneId.of("UTC")));
    System.out.println(r.status() + r.decision().notBefore().map(t -> " until " + t).orElse(""));
    r.decision().reasons().forEach(reason -> System.out.println("  " + reason));
  }
}
