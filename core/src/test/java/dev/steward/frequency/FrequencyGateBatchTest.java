package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.ContactConsent;
import dev.steward.consent.Frequency;
import dev.steward.consent.InMemoryConsentStore;
import dev.steward.consent.Subscription;
import dev.steward.delivery.Decision;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import dev.steward.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link FrequencyGate#evaluateAll}: one store update for a whole list, deciding the messages in
 * list order so that messages of one contact or account see each other's reservations, exactly as
 * calls of {@link FrequencyGate#evaluate} one after the other would.
 */
class FrequencyGateBatchTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static final TenantId T1 = TenantId.of("t1");
  static final CapPolicy POLICY =
      CapPolicy.builder()
          .cap(Cap.perContact(2, Window.day()))
          .cap(Cap.perAccount(4, Window.day()))
          .cap(Cap.perContact(1, Window.rolling(Duration.ofHours(1))))
          .build();

  /** An in-memory store that counts its calls, and may claim its update costs more than a read. */
  static final class Counting implements CapLedgerStore {
    final InMemoryCapLedgerStore d = InMemoryCapLedgerStore.of();
    final boolean readFirst;
    final AtomicInteger updates = new AtomicInteger();
    final AtomicInteger reads = new AtomicInteger();

    Counting(boolean readFirst) {
      this.readFirst = readFirst;
    }

    @Override
    public <R> R update(
        List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
      updates.incrementAndGet();
      return d.update(subjects, change);
    }

    @Override
    public List<SendLog> read(List<SubjectKey> subjects) {
      reads.incrementAndGet();
      return d.read(subjects);
    }

    @Override
    public boolean updateCostsMoreThanRead() {
      return readFirst;
    }

    @Override
    public boolean erase(SubjectKey subject) {
      return d.erase(subject);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }

  static FrequencyGate gate(CapLedgerStore store, SettableClock clock) {
    return FrequencyGate.of(FrequencyCapLimiter.builder(store, clock).policy(POLICY).build());
  }

  static Message message(Random r) {
    String contact = "c" + r.nextInt(4);
    MessageKind kind = r.nextInt(6) == 0 ? MessageKind.TRANSACTIONAL : MessageKind.PROMOTIONAL;
    return Messages.to(
        contact, "a" + r.nextInt(2), ZoneOffset.UTC, kind, r.nextBoolean() ? "offers" : "news");
  }

  static String describe(Decision d) {
    return d.outcome() + " " + d.notBefore() + " " + d.reasons();
  }

  @Test
  void aListIsDecidedAsCallsOneAfterTheOtherWouldDecideItInOneUpdate() {
    for (boolean readFirst : new boolean[] {false, true}) {
      for (int seed = 0; seed < 200; seed++) {
        Random r = new Random(seed);
        SettableClock clock = SettableClock.of(T0);
        Counting one = new Counting(readFirst);
        Counting all = new Counting(readFirst);
        FrequencyGate sequential = gate(one, clock);
        FrequencyGate batch = gate(all, clock);
        // some history first, the same in both
        for (int i = r.nextInt(4); i > 0; i--) {
          Message m = message(r);
          Instant at = T0.minus(Duration.ofMinutes(10 + r.nextInt(300)));
          sequential.evaluate(m, at);
          batch.evaluate(m, at);
        }
        all.updates.set(0);
        all.reads.set(0);
        List<Message> list = new ArrayList<>();
        for (int i = 1 + r.nextInt(12); i > 0; i--) {
          list.add(message(r));
        }

        List<String> expected = new ArrayList<>();
        for (Message m : list) {
          expected.add(describe(sequential.evaluate(m, T0)));
        }
        List<String> actual = batch.evaluateAll(list, T0).stream().map(f -> describe(f)).toList();

        String at = "seed " + seed + (readFirst ? " read first" : "");
        assertThat(actual).as(at).isEqualTo(expected);
        assertThat(all.updates.get()).as(at).isLessThanOrEqualTo(1);
        assertThat(all.reads.get()).as(at).isLessThanOrEqualTo(readFirst ? 1 : 0);
        List<SubjectKey> subjects = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          subjects.add(SubjectKey.contact(T1, ContactId.of("c" + c)));
        }
        for (int a = 0; a < 2; a++) {
          subjects.add(SubjectKey.account(T1, AccountId.of("a" + a)));
        }
        List<SendLog> a = one.d.read(subjects);
        List<SendLog> b = all.d.read(subjects);
        for (int i = 0; i < subjects.size(); i++) {
          assertThat(Arrays.equals(b.get(i).toBytes(), a.get(i).toBytes()))
              .as(at + " " + subjects.get(i))
              .isTrue();
        }
      }
    }
  }

  @Test
  void aListRefusedOnTheCommittedLogsWritesNothingWhenAnUpdateCostsMoreThanARead() {
    SettableClock clock = SettableClock.of(T0);
    Counting store = new Counting(true);
    FrequencyGate gate = gate(store, clock);
    Message first = Messages.promo("c1");
    assertThat(gate.evaluate(first, T0).isAllowed()).isTrue();
    store.updates.set(0);

    List<Decision> refused = gate.evaluateAll(List.of(first, Messages.promo("c1")), T0);

    assertThat(refused).noneMatch(Decision::isAllowed);
    assertThat(store.updates.get()).isZero();
  }

  @Test
  void aBadMessageIsRefusedBeforeAnythingIsRead() {
    Counting store = new Counting(false);
    FrequencyGate gate = gate(store, SettableClock.of(T0));
    List<Message> withNull = new ArrayList<>();
    withNull.add(Messages.promo("c1"));
    withNull.add(null);

    assertThatThrownBy(() -> gate.evaluateAll(withNull, T0))
        .isInstanceOf(InvalidLimiterArgumentException.class)
        .hasMessageContaining("message");
    assertThatThrownBy(() -> gate.evaluateAll(null, T0))
        .isInstanceOf(InvalidLimiterArgumentException.class);
    assertThat(store.updates.get() + store.reads.get()).isZero();
  }

  /** A consent store that counts its reads one contact at a time and many at once. */
  static final class CountingConsent implements ConsentStore {
    final InMemoryConsentStore d = InMemoryConsentStore.of();
    final AtomicInteger finds = new AtomicInteger();
    final AtomicInteger findAlls = new AtomicInteger();

    @Override
    public Optional<ContactConsent> find(TenantId tenant, ContactId contact) {
      finds.incrementAndGet();
      return d.find(tenant, contact);
    }

    @Override
    public Map<ContactId, ContactConsent> findAll(TenantId tenant, Collection<ContactId> contacts) {
      findAlls.incrementAndGet();
      return d.findAll(tenant, contacts);
    }

    @Override
    public ContactConsent update(
        TenantId tenant, ContactId contact, UnaryOperator<ContactConsent> change) {
      return d.update(tenant, contact, change);
    }

    @Override
    public boolean erase(TenantId tenant, ContactId contact) {
      return d.erase(tenant, contact);
    }

    @Override
    public int eraseTenant(TenantId tenant) {
      return d.eraseTenant(tenant);
    }
  }

  @Test
  void aListReadsItsContactsPreferencesAtOnceAndDecidesAsCallsOneAfterTheOther() {
    // pgstep: the limiter read each message's consent alone, one read a message in a batch
    for (int seed = 0; seed < 100; seed++) {
      Random r = new Random(seed);
      SettableClock clock = SettableClock.of(T0);
      CountingConsent consent = new CountingConsent();
      Frequency[] chosen = {null, Frequency.DAILY, Frequency.WEEKLY, Frequency.MONTHLY};
      for (int c = 0; c < 4; c++) {
        Frequency f = chosen[r.nextInt(chosen.length)];
        if (f != null) {
          ContactId id = ContactId.of("c" + c);
          consent.update(
              T1,
              id,
              x ->
                  new ContactConsent(
                      T1,
                      id,
                      null,
                      Map.of("news", new Subscription("news", true, f, T0.minusSeconds(60))),
                      List.of()));
        }
      }
      FrequencyGate sequential =
          FrequencyGate.of(
              FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                  .policy(POLICY)
                  .consent(consent)
                  .build());
      FrequencyGate batch =
          FrequencyGate.of(
              FrequencyCapLimiter.builder(InMemoryCapLedgerStore.of(), clock)
                  .policy(POLICY)
                  .consent(consent)
                  .build());
      List<Message> list = new ArrayList<>();
      for (int i = 2 + r.nextInt(12); i > 0; i--) {
        list.add(message(r));
      }
      List<String> expected = new ArrayList<>();
      for (Message m : list) {
        expected.add(describe(sequential.evaluate(m, T0)));
      }
      consent.finds.set(0);
      consent.findAlls.set(0);

      List<String> actual = batch.evaluateAll(list, T0).stream().map(f -> describe(f)).toList();

      assertThat(actual).as("seed " + seed).isEqualTo(expected);
      assertThat(consent.finds).as("seed " + seed).hasValue(0);
      assertThat(consent.findAlls).as("seed " + seed).hasValue(1);
    }
  }
}
