package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.consent.ConsentGate;
import dev.steward.consent.ConsentStore;
import dev.steward.consent.PreferenceCentre;
import dev.steward.consent.Suppression;
import dev.steward.consent.SuppressionReason;
import dev.steward.consent.SuppressionStore;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapLedgerStore;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.FrequencyCapLimiter;
import dev.steward.frequency.FrequencyGate;
import dev.steward.frequency.SendLog;
import dev.steward.frequency.SubjectKey;
import dev.steward.frequency.Window;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkStore;
import dev.steward.testing.Messages;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@link Dispatcher#dispatchAll} against sequential {@link Dispatcher#dispatch}: random batches
 * (several messages per contact and account, repeated idempotency keys, keys with a ledger record,
 * an opted-out contact and a bounced address, caps that allow some messages and defer others, a
 * higher-priority message taking a waiting message's slot, send-by times already past, a transport
 * that refuses, fails, times out or throws for some) give the same results, the same ledger,
 * send-log and deferred-work state, the same sends and the same listener calls per contact in two
 * worlds over identical fresh stores, one dispatching in sequence, the other in one batch.
 */
public abstract class DispatchAllDifferentialContract {
  protected static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  protected static final TenantId TENANT = TenantId.of("isv-tenant");
  private static final int CONTACTS = 8;
  private static final int ACCOUNTS = 3;

  /** The stores of one world. */
  public record Stores(
      DeliveryLedger ledger,
      WorkStore work,
      CapLedgerStore caps,
      ConsentStore consent,
      SuppressionStore suppressions) {}

  /** Fresh, empty stores for world {@code name} ("sequential" or "batch"), apart from the other. */
  protected abstract Stores newStores(String name, SettableClock clock);

  /** How many random batches to try. */
  protected int batches() {
    return 40;
  }

  @Test
  void randomBatchesGiveWhatSequentialDispatchesGive() {
    Set<DispatchStatus> seen = java.util.EnumSet.noneOf(DispatchStatus.class);
    Set<String> cases = new java.util.TreeSet<>();
    for (int seed = 1; seed <= batches(); seed++) {
      // odd seeds cap accounts too (their messages then go in rounds), even seeds contacts only
      boolean accounts = seed % 2 == 1;
      World sequential = new World("sequential", accounts);
      World batch = new World("batch", accounts);
      Random random = new Random(seed);
      List<Message> messages = batch(random, seed);
      Map<MessageId, Function<Message, SendResult>> answers = answers(random, messages);
      sequential.setUp(answers);
      batch.setUp(answers);

      List<DispatchResult> one = new ArrayList<>();
      for (Message m : messages) {
        one.add(sequential.dispatcher.dispatch(m));
      }
      List<DispatchResult> all = batch.dispatcher.dispatchAll(messages);

      String at = "seed " + seed;
      assertThat(all).hasSize(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        assertThat(describe(all.get(i)))
            .as(at + ", message " + i + " " + messages.get(i).id())
            .isEqualTo(describe(one.get(i)));
      }
      assertThat(batch.state(messages)).as(at).isEqualTo(sequential.state(messages));
      assertThat(batch.callsByContact()).as(at).isEqualTo(sequential.callsByContact());
      assertThat(batch.sentByContact()).as(at).isEqualTo(sequential.sentByContact());
      for (DispatchResult r : all) {
        seen.add(r.status());
        String text = describe(r);
        for (String c : List.of("expired", "global-opt-out", "address-hard-bounce", "rejected")) {
          if (text.contains(c)) {
            cases.add(c);
          }
        }
      }
      for (String call : batch.calls) {
        if (call.contains(" displaced ")) {
          cases.add("displaced");
        }
      }
    }
    // the batches did meet every case they are meant to
    assertThat(seen).containsAll(java.util.EnumSet.allOf(DispatchStatus.class));
    assertThat(cases)
        .contains("expired", "global-opt-out", "address-hard-bounce", "rejected", "displaced");
  }

  /** One world: stores, limiter, gates, transport and listener over a fixed clock. */
  private final class World {
    final Stores stores;
    final SettableClock clock;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Message> sent = new CopyOnWriteArrayList<>();
    final Map<MessageId, Function<Message, SendResult>> answers = new HashMap<>();
    final Dispatcher dispatcher;

    World(String name, boolean accounts) {
      this.clock = SettableClock.of(T0.minus(Duration.ofHours(2)));
      this.stores = newStores(name, clock);
      CapPolicy.Builder caps = CapPolicy.builder().cap(Cap.perContact(2, Window.day()));
      if (accounts) {
        caps.cap(Cap.perAccount(7, Window.day()));
      }
      CapPolicy policy = caps.build();
      FrequencyCapLimiter limiter =
          FrequencyCapLimiter.builder(stores.caps(), clock).policy(policy).build();
      MailTransport transport =
          m -> {
            sent.add(m);
            return answers.getOrDefault(m.id(), x -> SendResult.accepted("sg-" + x.id())).apply(m);
          };
      dispatcher =
          Dispatcher.builder(transport, clock)
              .gate(ConsentGate.of(stores.consent(), stores.suppressions()))
              .gate(FrequencyGate.of(limiter))
              .workStore(stores.work())
              .ledger(stores.ledger())
              .listener(
                  new DispatchListener() {
                    @Override
                    public void onGateDecision(Message message, String gate, Decision decision) {
                      calls.add(
                          message.contact()
                              + " gate "
                              + message.id()
                              + " "
                              + gate
                              + " "
                              + decision.outcome()
                              + " "
                              + decision.notBefore()
                              + " "
                              + decision.reasons());
                    }

                    @Override
                    public void onResult(DispatchResult result) {
                      calls.add(result.message().contact() + " result " + describe(result));
                    }

                    @Override
                    public void onDisplaced(DeferredMessage displaced, Message by) {
                      calls.add(
                          displaced.message().contact()
                              + " displaced "
                              + displaced.message().id()
                              + " by "
                              + by.id()
                              + " to "
                              + displaced.dueAt());
                    }
                  })
              .build();
    }

    /**
     * The same history in both worlds, dispatched one by one two hours before the batch: contact 5
     * opted out, contact 6's address bounced, contacts 0 and 1 sent one message each (so a key has
     * a record), contact 2 sent two and a LOW third waits for tomorrow's slot.
     */
    void setUp(Map<MessageId, Function<Message, SendResult>> scripted) {
      PreferenceCentre.of(stores.consent(), clock).optOut(TENANT, contact(5), "test");
      stores
          .suppressions()
          .add(
              Suppression.of(
                  TENANT,
                  EmailAddress.of(contact(6).value() + "@example.com"),
                  SuppressionReason.HARD_BOUNCE,
                  clock.instant(),
                  "test"));
      dispatcher.dispatch(message(0, "prior-0", "prior-0").build());
      dispatcher.dispatch(message(1, "prior-1", "prior-1").build());
      dispatcher.dispatch(message(2, "prior-2a", "prior-2a").build());
      dispatcher.dispatch(message(2, "prior-2b", "prior-2b").build());
      DispatchResult waiting =
          dispatcher.dispatch(message(2, "prior-2c", "prior-2c").priority(Priority.LOW).build());
      assertThat(waiting.status()).isEqualTo(DispatchStatus.DEFERRED);
      calls.clear();
      sent.clear();
      answers.putAll(scripted);
      clock.set(T0);
    }

    /** The ledger records, send logs and pending deferrals the messages' contacts have. */
    List<String> state(List<Message> messages) {
      List<String> out = new ArrayList<>();
      Set<String> keys = new LinkedHashSet<>(List.of("prior-0", "prior-1", "prior-2a"));
      for (Message m : messages) {
        keys.add(m.idempotencyKey());
      }
      for (String k : keys) {
        out.add(k + " " + stores.ledger().find(TENANT, k));
      }
      List<SubjectKey> subjects = new ArrayList<>();
      for (int c = 0; c < CONTACTS; c++) {
        subjects.add(SubjectKey.contact(TENANT, contact(c)));
      }
      for (int a = 0; a < ACCOUNTS; a++) {
        subjects.add(SubjectKey.account(TENANT, AccountId.of("a" + a)));
      }
      List<SendLog> logs = stores.caps().read(subjects);
      for (int i = 0; i < subjects.size(); i++) {
        out.add(subjects.get(i) + " " + java.util.Arrays.toString(logs.get(i).toBytes()));
      }
      for (int c = 0; c < CONTACTS; c++) {
        out.add(contact(c) + " pending " + dispatcher.pendingFor(TENANT, contact(c)));
      }
      return out;
    }

    Map<String, List<String>> callsByContact() {
      Map<String, List<String>> by = new LinkedHashMap<>();
      for (int c = 0; c < CONTACTS; c++) {
        by.put(contact(c).value(), new ArrayList<>());
      }
      for (String call : calls) {
        by.get(call.substring(0, call.indexOf(' '))).add(call);
      }
      return by;
    }

    Map<String, List<MessageId>> sentByContact() {
      Map<String, List<MessageId>> by = new LinkedHashMap<>();
      for (Message m : sent) {
        by.computeIfAbsent(m.contact().value(), c -> new ArrayList<>()).add(m.id());
      }
      return by;
    }
  }

  private static ContactId contact(int c) {
    return ContactId.of("c" + c);
  }

  private static Message.Builder message(int contact, String id, String key) {
    return Messages.promo("c" + contact)
        .tenant(TENANT)
        .account(AccountId.of("a" + (contact % ACCOUNTS)))
        .id(MessageId.of(id))
        .idempotencyKey(key);
  }

  /** 8 to 24 messages over 8 contacts and 3 accounts, with the cases the test is about. */
  private static List<Message> batch(Random random, int seed) {
    int n = 8 + random.nextInt(17);
    List<Message> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(CONTACTS);
      String id = "m-" + seed + "-" + i;
      String key = id;
      int roll = random.nextInt(100);
      if (roll < 10 && !out.isEmpty()) {
        key = out.get(random.nextInt(out.size())).idempotencyKey(); // a repeated key
      } else if (roll < 15) {
        key = "prior-" + (random.nextBoolean() ? "0" : "1"); // a key with a record
      }
      Message.Builder b = message(c, id, key);
      if (random.nextInt(5) == 0) {
        b.kind(MessageKind.TRANSACTIONAL).category("receipts");
      }
      b.priority(Priority.values()[random.nextInt(Priority.values().length)]);
      if (random.nextInt(8) == 0) {
        b.sendBy(T0.minus(Duration.ofMinutes(1))); // dropped if deferred
      }
      out.add(b.build());
    }
    return out;
  }

  /** How the transport answers each message: mostly accepted, some refused, failed or unknown. */
  private static Map<MessageId, Function<Message, SendResult>> answers(
      Random random, List<Message> messages) {
    Map<MessageId, Function<Message, SendResult>> out = new HashMap<>();
    for (Message m : messages) {
      int roll = random.nextInt(100);
      if (roll < 8) {
        out.put(m.id(), x -> SendResult.retryable(null, "busy"));
      } else if (roll < 13) {
        out.put(m.id(), x -> SendResult.rejected("bad address"));
      } else if (roll < 17) {
        out.put(m.id(), x -> SendResult.unknown("timed out"));
      } else if (roll < 20) {
        out.put(
            m.id(),
            x -> {
              throw new IllegalStateException("transport down");
            });
      }
    }
    return out;
  }

  /** Everything a result says, reasons with their details (counts, instants) included. */
  static String describe(DispatchResult r) {
    return r.message().id()
        + " "
        + r.status()
        + " "
        + r.decision().outcome()
        + " "
        + r.decision().notBefore()
        + " "
        + r.decision().reasons()
        + " "
        + r.sendResult();
  }
}
