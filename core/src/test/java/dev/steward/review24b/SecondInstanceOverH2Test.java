package dev.steward.review24b;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.delivery.DispatchListener;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.DispatchStatus;
import dev.steward.delivery.Dispatcher;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.Window;
import dev.steward.jdbc.JdbcCapLedgerStore;
import dev.steward.jdbc.JdbcDeliveryLedger;
import dev.steward.jdbc.JdbcWorkStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.testing.ManualWorkDriver;
import dev.steward.testing.Messages;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * One instance stores deferrals in an H2 work store and stops; another instance over the same
 * database runs them: a payload of format 1 (no send-by), one of format 2 with a send-by in the
 * year 100,000, and one whose send-by passes while it waits behind it.
 */
class SecondInstanceOverH2Test {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant SLOT = T0.plus(WEEK);
  private static final Instant FAR = Instant.parse("+100000-01-01T00:00:00Z");

  private static final String STORED_FORMAT_ONE =
      "{\"message\":{\"format\":1,\"id\":\"m-old\",\"idempotencyKey\":\"m-old\","
          + "\"tenant\":\"isv-tenant\",\"account\":\"acme\",\"contact\":\"bea\","
          + "\"to\":\"bea@example.com\",\"recipientZone\":\"Z\",\"kind\":\"PROMOTIONAL\","
          + "\"category\":\"offers\",\"channel\":\"EMAIL\",\"priority\":\"NORMAL\","
          + "\"sourceTeam\":\"marketing\",\"personalisation\":{},"
          + "\"createdAt\":\"2026-01-01T00:00:00Z\"},"
          + "\"dueAt\":\"2026-03-02T10:00:00Z\",\"attempts\":1,\"transportFailures\":0,"
          + "\"reason\":\"frequency/cap: full\",\"slot\":true}";

  private final SettableClock clock = SettableClock.of(T0);
  private final RecordingTransport transport = RecordingTransport.of();
  private final List<DispatchResult> results = new CopyOnWriteArrayList<>();
  private final JdbcDataSource h2 = new JdbcDataSource();

  {
    h2.setURL("jdbc:h2:mem:rsend-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(h2);
  }

  private Dispatcher instance() {
    return Dispatcher.builder(transport, clock)
        .gate(
            FrequencyGate.of(
                FrequencyCapLimiter.builder(JdbcCapLedgerStore.of(h2), clock)
                    .policy(
                        CapPolicy.builder().cap(Cap.perContact(1, Window.rolling(WEEK))).build())
                    .build()))
        .workStore(JdbcWorkStore.of(h2))
        .ledger(JdbcDeliveryLedger.of(h2))
        .lookAhead(Dispatcher.DEFAULT_LOOK_AHEAD)
        .listener(
            new DispatchListener() {
              @Override
              public void onResult(DispatchResult r) {
                results.add(r);
              }
            })
        .build();
  }

  private static Message.Builder message(String id) {
    return Messages.promo("ada").id(MessageId.of(id)).idempotencyKey(id);
  }

  @Test
  void aSecondInstanceSendsFormatOneAndFarSendByPayloadsAndDropsTheExpiredOneWithoutItsSlot() {
    Dispatcher one = instance();
    assertThat(one.dispatch(message("first").build()).status()).isEqualTo(DispatchStatus.SENT);
    Message far = message("far").sendBy(FAR).build();
    assertThat(one.dispatch(far).decision().notBefore()).contains(SLOT);
    Message near = message("near").sendBy(SLOT.plusSeconds(30)).build();
    assertThat(one.dispatch(near).decision().notBefore()).contains(SLOT.plusSeconds(1));
    one.workStore()
        .schedule(
            WorkItem.builder(
                    WorkKey.of(TenantId.of("isv-tenant"), Dispatcher.DEFERRED_KIND, "m-old"))
                .subject("bea")
                .payload(STORED_FORMAT_ONE)
                .payloadVersion(1)
                .dueAt(Instant.parse("2026-03-02T10:00:00Z"))
                .build(),
            IfExists.REPLACE);
    results.clear();

    Dispatcher two = instance();
    ManualWorkDriver.of(two.registerWith(WorkRunner.builder(two.workStore(), clock)).build(), clock)
        .advanceTo(SLOT.plus(Duration.ofMinutes(1)));

    assertThat(transport.sent())
        .extracting(m -> m.id().value())
        .containsExactly("first", "m-old", "far");
    assertThat(results)
        .filteredOn(r -> r.message().id().equals(near.id()))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(DispatchStatus.SUPPRESSED);
              assertThat(r.decision().reasons())
                  .anyMatch(
                      x ->
                          x.gate().equals(Dispatcher.SEND_BY)
                              && x.rule().equals(Dispatcher.SEND_BY_DEFERRED_RULE));
            });
    assertThat(two.deferred(near.tenant(), near.id())).isEmpty();
  }
}
