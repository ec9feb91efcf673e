package dev.steward.consent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of every {@link ConsentChangeFeed} (TCK): order, cursor, erasure, arguments. */
public abstract class ConsentChangeFeedContract {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final ContactId ADA = ContactId.of("ada");
  private static final ContactId BOB = ContactId.of("bob");

  private ConsentStore store;
  private ConsentChangeFeed feed;

  /** A new, empty store that is also a feed. */
  protected abstract ConsentStore newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract ConsentStore secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
    feed = (ConsentChangeFeed) store;
  }

  private static ContactConsent optedOut(ContactConsent c) {
    return new ContactConsent(
        c.tenant(),
        c.contact(),
        java.util.Optional.of(T0),
        c.subscriptions(),
        List.of(ConsentRecord.of(null, ConsentRecord.Action.WITHDRAWN, "test", T0)),
        c.erasedAt());
  }

  @Test
  void changesComeInTheOrderTheyWereStoredEachContactAtItsLatest() {
    assertThat(feed.changesAfter(0, 100)).isEmpty();
    store.update(ACME, ADA, c -> c);
    store.update(GLOBEX, ADA, c -> c);
    store.update(ACME, BOB, ConsentChangeFeedContract::optedOut);

    List<ConsentChange> all = feed.changesAfter(0, 100);
    assertThat(all)
        .extracting(ConsentChange::tenant, ConsentChange::contact)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(ACME, ADA),
            org.assertj.core.groups.Tuple.tuple(GLOBEX, ADA),
            org.assertj.core.groups.Tuple.tuple(ACME, BOB));
    assertThat(all).extracting(ConsentChange::sequence).isSorted().doesNotHaveDuplicates();

    long cursor = all.get(1).sequence();
    assertThat(feed.changesAfter(cursor, 100)).containsExactly(all.get(2));

    store.update(ACME, ADA, ConsentChangeFeedContract::optedOut); // ada again: listed once, last
    List<ConsentChange> after = feed.changesAfter(cursor, 100);
    assertThat(after).extracting(ConsentChange::contact).containsExactly(BOB, ADA);
    assertThat(after.get(1).sequence()).isGreaterThan(all.get(2).sequence());
    assertThat(feed.changesAfter(0, 2)).hasSize(2);
  }

  @Test
  void aFailedChangeIsNoChangeAndAnErasedContactLeavesTheFeed() {
    store.update(ACME, ADA, c -> c);
    assertThatThrownBy(
            () ->
                store.update(
                    ACME,
                    BOB,
                    c -> {
                      throw new IllegalStateException("no");
                    }))
        .isInstanceOf(IllegalStateException.class);
    assertThat(feed.changesAfter(0, 10)).extracting(ConsentChange::contact).containsExactly(ADA);
    store.erase(ACME, ADA);
    assertThat(feed.changesAfter(0, 10)).isEmpty();
  }

  @Test
  void anotherInstanceReadsTheSameFeed() {
    store.update(ACME, ADA, ConsentChangeFeedContract::optedOut);
    ConsentChangeFeed other = (ConsentChangeFeed) secondInstance();
    assertThat(other.changesAfter(0, 10)).isEqualTo(feed.changesAfter(0, 10));
    ((ConsentStore) other).update(ACME, BOB, c -> c);
    assertThat(feed.changesAfter(0, 10))
        .extracting(ConsentChange::contact)
        .containsExactly(ADA, BOB);
  }

  @Test
  void aReaderFollowingConcurrentWritersMissesNoChange() throws Exception {
    int writers = 4;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int id = w;
        ConsentStore s = w % 2 == 0 ? store : secondInstance();
        fs.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < each; i++) {
                    s.update(ACME, ContactId.of("c-" + id + "-" + i), c -> c);
                  }
                }));
      }
      // follow while they write: a cursor moved past a number whose change is not yet visible
      // would lose that change for good
      Set<ContactId> seen = new HashSet<>();
      long cursor = 0;
      Thread.sleep(1);
      while (true) {
        boolean finished = fs.stream().allMatch(Future::isDone);
        for (ConsentChange c : feed.changesAfter(cursor, 7)) {
          seen.add(c.contact());
          cursor = c.sequence();
        }
        if (finished && feed.changesAfter(cursor, 1).isEmpty()) {
          break;
        }
      }
      for (Future<?> f : fs) {
        f.get();
      }
      assertThat(seen).hasSize(writers * each);
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void badArgumentsAreRefused() {
    assertThatThrownBy(() -> feed.changesAfter(-1, 10))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("sequence must not be negative");
    assertThatThrownBy(() -> feed.changesAfter(0, 0))
        .isInstanceOf(InvalidConsentException.class)
        .hasMessageContaining("max must be 1 to 10000");
    assertThatThrownBy(() -> feed.changesAfter(0, ConsentChangeFeed.MAX_BATCH + 1))
        .isInstanceOf(InvalidConsentException.class);
  }
}
