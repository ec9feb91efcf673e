package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
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
  protected static final TenantId T = TenantId.of("acme");
  protected static final TenantId OTHER = TenantId.of("globex");

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
    records.add(ConsentRecord.of(null, ConsentRecord.Action.GRANTED, source, at));
    return new ContactConsent(
        c.tenant(), c.contact(), c.optedOutAt(), c.subscriptions(), records, c.erasedAt());
  }

  @Test
  void aContactWithNothingRecordedIsNotFound() {
    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.erase(T, ADA)).isFalse();
  }

  @Test
  void anUpdateStoresExactlyWhatTheChangeReturned() {
    ContactConsent full =
        new ContactConsent(
            T,
            ADA,
            T0.plusNanos(3),
            Map.of(
                "product-updates",
                new Subscription("product-updates", true, Frequency.WEEKLY, T0),
                "offers",
                new Subscription("offers", false, Frequency.AS_IT_HAPPENS, T0.minusSeconds(5))),
            List.of(
                ConsentRecord.of("offers", ConsentRecord.Action.WITHDRAWN, "preference-centre", T0),
                ConsentRecord.of(null, ConsentRecord.Action.CONFIRMED, "double-opt-in", T0)));

    ContactConsent stored =
        store.update(
            T,
            ADA,
            current -> {
              assertThat(current).isEqualTo(ContactConsent.empty(T, ADA));
              return full;
            });

    assertThat(stored).isEqualTo(full);
    assertThat(store.find(T, ADA)).contains(full);
    assertThat(secondInstance().find(T, ADA)).contains(full);
    assertThat(store.find(T, ContactId.of("other"))).isEmpty();
  }

  @Test
  void aChangeSeesTheCurrentConsent() {
    store.update(T, ADA, c -> withRecord(c, "signup-form", T0));

    ContactConsent second = store.update(T, ADA, c -> withRecord(c, "webinar", T0.plusSeconds(1)));

    assertThat(second.records())
        .extracting(ConsentRecord::source)
        .containsExactly("signup-form", "webinar");
    assertThat(store.find(T, ADA)).contains(second);
  }

  @Test
  void aChangeThatThrowsStoresNothing() {
    assertThatThrownBy(
            () ->
                store.update(
                    T,
                    ADA,
                    c -> {
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(T, ADA)).isEmpty();

    ContactConsent first = store.update(T, ADA, c -> withRecord(c, "signup-form", T0));
    assertThatThrownBy(
            () ->
                store.update(
                    T,
                    ADA,
                    c -> {
                      withRecord(c, "ignored", T0);
                      throw new IllegalStateException("boom");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(store.find(T, ADA)).contains(first);
  }

  @Test
  void aChangeReturningAnotherContactsConsentIsRefused() {
    assertThatThrownBy(
            () -> store.update(T, ADA, c -> ContactConsent.empty(T, ContactId.of("bob"))))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("bob");
    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.find(T, ContactId.of("bob"))).isEmpty();
  }

  @Test
  void aChangeReturningAnotherTenantsConsentIsRefused() {
    assertThatThrownBy(() -> store.update(T, ADA, c -> ContactConsent.empty(OTHER, ADA)))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("globex");
    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.find(OTHER, ADA)).isEmpty();
  }

  @Test
  void aMissingTenantOrContactIsRefusedByName() {
    assertThatThrownBy(() -> store.find(null, ADA))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.find(T, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("contact");
    assertThatThrownBy(() -> store.update(null, ADA, c -> c))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
    assertThatThrownBy(() -> store.update(T, ADA, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("change");
    assertThatThrownBy(() -> store.erase(T, null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("contact");
    assertThatThrownBy(() -> store.eraseTenant(null))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("tenant");
  }

  @Test
  void theSameContactIdUnderTwoTenantsIsTwoContacts() {
    store.update(T, ADA, c -> withRecord(c, "acme-form", T0));
    assertThat(store.find(OTHER, ADA)).isEmpty();

    ContactConsent theirs = store.update(OTHER, ADA, c -> withRecord(c, "globex-form", T0));

    assertThat(theirs.tenant()).isEqualTo(OTHER);
    assertThat(theirs.records()).extracting(ConsentRecord::source).containsExactly("globex-form");
    assertThat(store.find(T, ADA).orElseThrow().records())
        .extracting(ConsentRecord::source)
        .containsExactly("acme-form");
    assertThat(secondInstance().find(OTHER, ADA)).contains(theirs);

    assertThat(store.erase(OTHER, ADA)).isTrue();
    assertThat(store.find(OTHER, ADA)).isEmpty();
    assertThat(store.find(T, ADA)).isPresent();
  }

  @Test
  void eraseTenantDeletesOnlyThatTenantAndIsIdempotent() {
    store.update(T, ADA, c -> withRecord(c, "form", T0));
    store.update(T, ContactId.of("bob"), c -> withRecord(c, "form", T0));
    store.update(OTHER, ADA, c -> withRecord(c, "form", T0));

    assertThat(store.eraseTenant(T)).isEqualTo(2);
    assertThat(store.eraseTenant(T)).isZero();

    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.find(T, ContactId.of("bob"))).isEmpty();
    assertThat(secondInstance().find(OTHER, ADA)).isPresent();
    assertThat(store.eraseTenant(TenantId.of("nobody"))).isZero();
  }

  @Test
  void eraseDeletesEverythingAboutTheContact() {
    store.update(T, ADA, c -> withRecord(c, "signup-form", T0));
    store.update(T, ContactId.of("bob"), c -> withRecord(c, "signup-form", T0));

    assertThat(store.erase(T, ADA)).isTrue();
    assertThat(store.erase(T, ADA)).isFalse();
    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.find(T, ContactId.of("bob"))).isPresent();
    assertThat(store.update(T, ADA, c -> c)).isEqualTo(ContactConsent.empty(T, ADA));
  }

  @Test
  void aTombstoneIsStoredAndSeenByTheNextChange() {
    store.update(T, ADA, c -> withRecord(c, "signup-form", T0));
    ContactConsent tombstone = ContactConsent.tombstone(T, ADA, T0.plusNanos(7));

    assertThat(store.update(T, ADA, c -> tombstone)).isEqualTo(tombstone);

    assertThat(store.find(T, ADA)).contains(tombstone);
    assertThat(secondInstance().find(T, ADA)).contains(tombstone);
    assertThat(store.find(T, ADA).orElseThrow().erasedAt()).contains(T0.plusNanos(7));
    ContactConsent back =
        secondInstance()
            .update(
                T,
                ADA,
                c -> {
                  assertThat(c).isEqualTo(tombstone);
                  return withRecord(c, "signup-form", T0.plusSeconds(1));
                });
    assertThat(back.erasedAt()).contains(T0.plusNanos(7));
    assertThat(store.find(T, ADA)).contains(back);
    assertThat(store.find(OTHER, ADA)).isEmpty();
  }

  @Test
  void aConsentNeverErasedHasNoErasureTime() {
    store.update(T, ADA, c -> withRecord(c, "signup-form", T0));

    assertThat(store.find(T, ADA).orElseThrow().erasedAt()).isEmpty();
    assertThat(secondInstance().find(T, ADA).orElseThrow().erasedAt()).isEmpty();
  }

  @Test
  void eraseAndEraseTenantRemoveTombstonesToo() {
    store.update(T, ADA, c -> ContactConsent.tombstone(T, ADA, T0));
    store.update(T, ContactId.of("bob"), c -> ContactConsent.tombstone(T, ContactId.of("bob"), T0));
    store.update(OTHER, ADA, c -> ContactConsent.tombstone(OTHER, ADA, T0));

    assertThat(store.erase(T, ADA)).isTrue();
    assertThat(store.find(T, ADA)).isEmpty();
    assertThat(store.eraseTenant(T)).isEqualTo(1);
    assertThat(store.find(T, ContactId.of("bob"))).isEmpty();
    assertThat(secondInstance().find(OTHER, ADA))
        .contains(ContactConsent.tombstone(OTHER, ADA, T0));
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
            s.update(T, ADA, c -> withRecord(c, source, T0));
          }
          return null;
        });

    List<ConsentRecord> records = store.find(T, ADA).orElseThrow().records();
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

  @Test
  void findAllAnswersWhatFindAnswersForEachContactWithinTheTenantBeyondOneChunk() {
    List<ContactId> contacts = new ArrayList<>();
    for (int i = 0; i < 520; i++) {
      contacts.add(ContactId.of("c-" + i));
    }
    store.update(T, ContactId.of("c-3"), c -> withRecord(c, "signup-form", T0));
    store.update(T, ContactId.of("c-511"), c -> withRecord(c, "webinar", T0));
    store.update(OTHER, ContactId.of("c-4"), c -> withRecord(c, "signup-form", T0));

    java.util.Map<ContactId, ContactConsent> found = store.findAll(T, contacts);

    assertThat(found.keySet()).containsExactly(ContactId.of("c-3"), ContactId.of("c-511"));
    assertThat(found.get(ContactId.of("c-511")))
        .isEqualTo(store.find(T, ContactId.of("c-511")).orElseThrow());
    assertThat(store.findAll(T, List.of())).isEmpty();
    assertThatThrownBy(() -> store.findAll(T, null)).isInstanceOf(InvalidConsentException.class);
    assertThatThrownBy(() -> store.findAll(null, List.of(ADA)))
        .isInstanceOf(InvalidConsentException.class);
  }
}
