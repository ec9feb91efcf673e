package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link ConsentStore} (TCK), with a multi-instance race. */
public abstract class ConsentStoreContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  protected static final ContactId ADA = ContactId.of("ada");

  protected ConsentStore store;

  /** A new, empty store. */
  protected abstract ConsentStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract ConsentStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static ContactConsent withRecord(ContactConsent c, String source, Instant at) {
    List<ConsentRecord> records = new ArrayList<>(c.records());
    records.add(new ConsentRecord(null, ConsentRecord.Action.GRANTED, source, at));
    return new ContactConsent(c.contact(), c.optedOutAt(), c.subscriptions(), records);
  }

  @Test
  void aContactWithNothingRecordedIsNotFound() {
    assertThat(store.find(ADA)).isEmpty();
    assertThat(store.erase(ADA)).isFalse();
  }

  @Test
  void anUpdateStoresExactlyWhatTheChangeReturned() {
    ContactConsent full =
        new ContactConsent(
            ADA,
            T0.plusNanos(3),
            Map.of(
                "product-updates",
                new Subscription("product-updates", true, Frequency.WEEKLY, T0),
                "offers",
                new Subscription("offers", false, Frequency.AS_IT_HAPPENS, T0.minusSeconds(5))),
            List.of(
                new ConsentRecord(
                    "offers", ConsentRecord.Action.WITHDRAWN, "preference-centre", T0),
                new ConsentRecord(null, ConsentRecord.Action.CONFIRMED, "double-opt-in", T0)));

    ContactConsent stored =
        store.update(
            ADA,
            current -> {
              assertThat(current).isEqualTo(ContactConsent.empty(ADA));
              return full;
            });

    assertThat(stored).isEqualTo(full);
    assertThat(store.find(ADA)).contains(full);
    assertThat(secondInstance().find(ADA)).contains(full);
    assertThat(store.find(ContactId.of("other"))).isEmpty();
  }

  @Test
  void aChangeSeesTheCurrentConsent() {
    store.update(ADA, c -> withRecord(c, "signup-form", T0));

    ContactConsent second = store.update(ADA, c -> withRecord(c, "webinar", T0.plusSeconds(1)));

    assertThat(second.records())
        .extracting(ConsentRecord::source)
        .containsExactly("signup-form", "webinar");
    assertThat(store.find(ADA)).contains(second);
  }

  @Test
  void aChangeThatThrowsStoresNothing() {
    assertThatThrownBy(
            () ->
                store.update(
                    ADA,
                    c -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(ADA)).isEmpty();

    ContactConsent first = store.update(ADA, c -> withRecord(c, "signup-form", T0));
    assertThatThrownBy(
            () ->
                store.update(
                    ADA,
                    c -> {
                      withRecord(c, "ignored", T0);
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(ADA)).contains(first);
  }

  @Test
  void aChangeReturningAnotherContactsConsentIsRefused() {
    assertThatThrownBy(() -> store.update(ADA, c -> ContactConsent.empty(ContactId.of("bob"))))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("bob");
    assertThat(store.find(ADA)).isEmpty();
    assertThat(store.find(ContactId.of("bob"))).isEmpty();
  }

  @Test
  void eraseDeletesEverythingAboutTheContact() {
    store.update(ADA, c -> withRecord(c, "signup-form", T0));
    store.update(ContactId.of("bob"), c -> withRecord(c, "signup-form", T0));

    assertThat(store.erase(ADA)).isTrue();
    assertThat(store.erase(ADA)).isFalse();
    assertThat(store.find(ADA)).isEmpty();
    assertThat(store.find(ContactId.of("bob"))).isPresent();
    assertThat(store.update(ADA, c -> c)).isEqualTo(ContactConsent.empty(ADA));
  }

  @Test
  void concurrentUpdatesOfOneContactFromTwoInstancesLoseNoChange() {
    ConsentStore other = secondInstance();
    int threads = 8;
    int perThread = 5;

    Concurrently.run(
        threads,
        t -> {
          ConsentStore s = t % 2 == 0 ? store : other;
          for (int i = 0; i < perThread; i++) {
            String source = "t" + t + "-" + i;
            s.update(ADA, c -> withRecord(c, source, T0));
          }
          return null;
        });

    List<ConsentRecord> records = store.find(ADA).orElseThrow().records();
    Set<String> sources = records.stream().map(ConsentRecord::source).collect(Collectors.toSet());
    assertThat(records).hasSize(threads * perThread);
    assertThat(sources).hasSize(threads * perThread);
    // each thread's own changes stay in its order
    Map<Integer, Integer> lastSeen = new HashMap<>();
    for (ConsentRecord r : records) {
      String[] parts = r.source().substring(1).split("-");
      int t = Integer.parseInt(parts[0]);
      int i = Integer.parseInt(parts[1]);
      assertThat(i).isGreaterThan(lastSeen.getOrDefault(t, -1));
      lastSeen.put(t, i);
    }
  }
}
