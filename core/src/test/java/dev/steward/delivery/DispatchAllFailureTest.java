package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.InMemoryCapLedgerStore;
import dev.steward.frequency.LedgerChange;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Failures injected at each phase of {@link Dispatcher#dispatchAll}: before the intents are written
 * nothing stays reserved and the exception propagates; after, the intents stay SENDING and a rerun
 * never sends a message again; a rerun of a failed batch sends each message at most once.
 */
class DispatchAllFailureTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final int K = 6;

  final SettableClock clock = SettableClock.of(T0);
  final Set<String> failing = new HashSet<>();
  final List<MessageId> sent = new CopyOnWriteArrayList<>();
  final InMemoryCapLedgerStore caps = InMemoryCapLedgerStore.of();
  final InMemoryDeliveryLedger ledger = InMemoryDeliveryLedger.of();
  final List<String> heard = new CopyOnWriteArrayList<>();

  /** Throws when the test set {@code where} failing. */
  void maybe(String where) {
    if (failing.contains(where)) {
      throw new IllegalStateException("injected failure in " + where);
    }
  }

  Dispatcher dispatcher(Gate... more) {
    FrequencyCapLimiter limiter =
        FrequencyCapLimiter.builder(new FailingCaps(), clock)
            .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build())
            .build();
    Dispatcher.Builder b =
        Dispatcher.builder(
                m -> {
                  maybe("transport");
                  sent.add(m.id());
                  return SendResult.accepted("sg-" + m.id());
                },
                clock)
            .gate(FrequencyGate.of(limiter))
            .ledger(new FailingLedger())
            .listener(
                new DispatchListener() {
                  @Override
                  public void onResult(DispatchResult result) {
                    heard.add(result.message().id() + " " + result.status());
                    maybe("listener");
                  }
                });
    for (Gate g : more) {
      b.gate(g);
    }
    return b.build();
  }

  static List<Message> batch() {
    List<Message> out = new ArrayList<>();
    for (int i = 0; i < K; i++) {
      out.add(
          Messages.promo("c" + i)
              .account(AccountId.of("a" + i))
              .id(MessageId.of("m-" + i))
              .idempotencyKey("k-" + i)
              .build());
    }
    return out;
  }

  /** Every contact's send log is empty: no reservation was left behind. */
  void nothingReserved() {
    for (int i = 0; i < K; i++) {
      assertThat(
              caps.read(
                      List.of(SubjectKey.contact(TenantId.of("isv-tenant"), ContactId.of("c" + i))))
                  .get(0)
                  .isEmpty())
          .as("contact c%d holds no reservation", i)
          .isTrue();
    }
  }

  void rerunSendsEachOnce(Dispatcher d, List<Message> messages) {
    failing.clear();
    assertThat(d.dispatchAll(messages))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.SENT);
    assertThat(sent).doesNotHaveDuplicates().hasSize(K);
  }

  @Test
  void aCapLedgerThatFailsLeavesNothingReservedNothingWrittenAndNothingSent() {
    Dispatcher d = dispatcher();
    failing.add("caps.update");

    assertThatThrownBy(() -> d.dispatchAll(batch())).hasMessageContaining("caps.update");

    nothingReserved();
    assertThat(sent).isEmpty();
    assertThat(ledger.find(TenantId.of("isv-tenant"), "k-0")).isEmpty();
    rerunSendsEachOnce(d, batch());
  }

  @Test
  void aLaterGateThatFailsGivesBackWhatTheFrequencyGateReservedForEveryMessage() {
    Gate failingGate =
        new Gate() {
          @Override
          public String name() {
            return "tenant";
          }

          @Override
          public Decision evaluate(Message message, Instant now) {
            maybe("tenant");
            return Decision.allow(Reason.of("tenant", "ok", Outcome.ALLOW, "fine"));
          }
        };
    Dispatcher d = dispatcher(failingGate);
    failing.add("tenant");

    assertThatThrownBy(() -> d.dispatchAll(batch())).hasMessageContaining("tenant");

    nothingReserved();
    assertThat(sent).isEmpty();
    rerunSendsEachOnce(d, batch());
  }

  @Test
  void aLedgerThatFailsBeforeWritingTheIntentsLeavesNothingReservedAndNothingSent() {
    Dispatcher d = dispatcher();
    failing.add("recordIntents.before");

    assertThatThrownBy(() -> d.dispatchAll(batch())).hasMessageContaining("recordIntents");

    nothingReserved();
    assertThat(sent).isEmpty();
    assertThat(ledger.find(TenantId.of("isv-tenant"), "k-0")).isEmpty();
    rerunSendsEachOnce(d, batch());
  }

  @Test
  void intentsWrittenByAFailedCallAreNeverSentAndARerunWaitsForTheProvider() {
    Dispatcher d = dispatcher();
    failing.add("recordIntents.after");

    assertThatThrownBy(() -> d.dispatchAll(batch())).hasMessageContaining("recordIntents");

    // as a single dispatch: the reservations are given back, the intents stay SENDING
    nothingReserved();
    assertThat(sent).isEmpty();
    failing.clear();
    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.UNKNOWN);
    assertThat(sent).isEmpty();
  }

  @Test
  void aFailedSetOfOutcomesIsRecordedOneByOne() {
    Dispatcher d = dispatcher();
    failing.add("markOutcomes");

    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.SENT);
    assertThat(ledger.find(TenantId.of("isv-tenant"), "k-3").orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENT);
    assertThat(heard).hasSize(K);
  }

  @Test
  void outcomesThatCannotBeRecordedLeaveTheIntentsSendingAndARerunSendsNothingAgain() {
    Dispatcher d = dispatcher();
    failing.add("markOutcomes");
    failing.add("markOutcome");

    assertThatThrownBy(() -> d.dispatchAll(batch())).hasMessageContaining("markOutcome");

    assertThat(sent).hasSize(K);
    assertThat(heard).isEmpty();
    assertThat(ledger.find(TenantId.of("isv-tenant"), "k-3").orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENDING);
    failing.clear();
    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.UNKNOWN);
    assertThat(sent).doesNotHaveDuplicates().hasSize(K);
  }

  @Test
  void anErrorFromTheTransportLetsTheUnsentMessagesGoOnARerun() {
    Dispatcher d =
        Dispatcher.builder(
                m -> {
                  if (m.id().value().equals("m-2") && failing.remove("error")) {
                    throw new AssertionError("transport linkage broken");
                  }
                  sent.add(m.id());
                  return SendResult.accepted("sg-" + m.id());
                },
                clock)
            .gate(
                FrequencyGate.of(
                    FrequencyCapLimiter.builder(new FailingCaps(), clock)
                        .policy(CapPolicy.builder().cap(Cap.perContact(1, Window.day())).build())
                        .build()))
            .ledger(new FailingLedger())
            .build();
    failing.add("error");

    assertThatThrownBy(() -> d.dispatchAll(batch())).isInstanceOf(AssertionError.class);

    // m-0 and m-1 left; m-2 may have (SENDING); m-3 to m-5 surely did not, and hold nothing
    assertThat(sent).containsExactly(MessageId.of("m-0"), MessageId.of("m-1"));
    TenantId t = TenantId.of("isv-tenant");
    assertThat(ledger.find(t, "k-2").orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);
    assertThat(ledger.find(t, "k-4").orElseThrow().status()).isEqualTo(DeliveryStatus.RETRYING);
    assertThat(caps.read(List.of(SubjectKey.contact(t, ContactId.of("c4")))).get(0).isEmpty())
        .isTrue();
    List<DispatchResult> rerun = d.dispatchAll(batch());
    assertThat(rerun)
        .extracting(DispatchResult::status)
        .containsExactly(
            DispatchStatus.DUPLICATE,
            DispatchStatus.DUPLICATE,
            DispatchStatus.UNKNOWN,
            DispatchStatus.SENT,
            DispatchStatus.SENT,
            DispatchStatus.SENT);
    assertThat(sent).doesNotHaveDuplicates().hasSize(5);
  }

  @Test
  void aListenerThatThrowsChangesNoResult() {
    Dispatcher d = dispatcher();
    failing.add("listener");

    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.SENT);
    assertThat(heard).hasSize(K);
    assertThat(ledger.find(TenantId.of("isv-tenant"), "k-5").orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENT);
  }

  @Test
  void aTransportThatThrowsLeavesThoseOutcomesUnknownAndTheirReservationsKept() {
    Dispatcher d = dispatcher();
    failing.add("transport");

    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.UNKNOWN);
    assertThat(d.pendingFor(TenantId.of("isv-tenant"), ContactId.of("c0"))).hasSize(1);
    failing.clear();
    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.UNKNOWN);
    assertThat(sent).isEmpty();
  }

  @Test
  void aBatchWithoutFailuresTakesOneCapLedgerUpdateForAllItsMessages() {
    Dispatcher d = dispatcher();

    assertThat(d.dispatchAll(batch()))
        .extracting(DispatchResult::status)
        .containsOnly(DispatchStatus.SENT);
    assertThat(capCalls).containsExactly("update " + K);
    assertThat(ledgerCalls).containsExactly("findAll", "recordIntents", "markOutcomes");
  }

  final List<String> capCalls = new CopyOnWriteArrayList<>();
  final List<String> ledgerCalls = new CopyOnWriteArrayList<>();

  /** The in-memory cap ledger, failing on demand. */
  final class FailingCaps implements CapLedgerStore {
    @Override
    public <R> R update(
        List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
      capCalls.add("update " + subjects.size());
      maybe("caps.update");
      return caps.update(subjects, change);
    }

    @Override
    public List<SendLog> read(List<SubjectKey> subjects) {
      capCalls.add("read " + subjects.size());
      return caps.read(subjects);
    }

    @Override
    public boolean erase(SubjectKey subject) {
      return caps.erase(subject);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return caps.eraseTenant(tenant);
    }
  }

  /** The in-memory ledger, failing on demand before or after its batch writes. */
  final class FailingLedger implements DeliveryLedger {
    @Override
    public boolean recordIntent(Message message, Instant at) {
      return ledger.recordIntent(message, at);
    }

    @Override
    public Set<MessageId> recordIntents(List<Message> messages, Instant at) {
      ledgerCalls.add("recordIntents");
      maybe("recordIntents.before");
      Set<MessageId> written = ledger.recordIntents(messages, at);
      maybe("recordIntents.after");
      return written;
    }

    @Override
    public List<OutcomeMark> markOutcomes(List<OutcomeMark> marks) {
      ledgerCalls.add("markOutcomes");
      maybe("markOutcomes");
      return ledger.markOutcomes(marks);
    }

    @Override
    public Map<String, DeliveryRecord> findAll(TenantId tenant, Collection<String> keys) {
      ledgerCalls.add("findAll");
      return ledger.findAll(tenant, keys);
    }

    @Override
    public <T> T together(Supplier<T> work) {
      return ledger.together(work);
    }

    @Override
    public boolean markOutcome(
        TenantId tenant, String key, DeliveryStatus status, String providerId, Instant at) {
      maybe("markOutcome");
      return ledger.markOutcome(tenant, key, status, providerId, at);
    }

    @Override
    public Optional<DeliveryRecord> find(TenantId tenant, String key) {
      return ledger.find(tenant, key);
    }

    @Override
    public Optional<DeliveryRecord> findByMessage(MessageId messageId) {
      return ledger.findByMessage(messageId);
    }

    @Override
    public List<DeliveryRecord> unsettled(Instant olderThan, int max) {
      return ledger.unsettled(olderThan, max);
    }

    @Override
    public List<DeliveryRecord> forAccount(
        TenantId tenant, AccountId account, Instant from, Instant to, int max) {
      return ledger.forAccount(tenant, account, from, to, max);
    }

    @Override
    public int eraseContact(TenantId tenant, ContactId contact) {
      return ledger.eraseContact(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return ledger.eraseTenant(tenant);
    }
  }
}
