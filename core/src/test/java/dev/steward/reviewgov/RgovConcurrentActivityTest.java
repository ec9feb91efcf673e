package dev.steward.reviewgov;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.governance.ActivityTouch;
import dev.steward.governance.Counter;
import dev.steward.governance.InMemoryGovernanceMetricsStore;
import dev.steward.governance.Increment;
import dev.steward.governance.RecipientActivity;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store's recipient activity (now a {@code RecipientTable} under the tenant's
 * monitor) under threads that touch, erase addresses (removals in the middle of probe runs of
 * colliding addresses), purge marks (which drops a tenant found empty) and erase the tenant behind
 * a tombstone: no touch is lost to a drop, and nothing from before the tombstone comes back.
 */
class RgovConcurrentActivityTest {
  private static final TenantId T = TenantId.of("t");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Local parts of one hash code: "a~" and "b_" hash alike. */
  private static EmailAddress colliding(int bits, String tag) {
    StringBuilder local = new StringBuilder(tag);
    for (int b = 0; b < 5; b++) {
      local.append((bits >> b & 1) == 0 ? "a~" : "b_");
    }
    return EmailAddress.of(local + "@x.example");
  }

  @Test
  void noTouchIsLostWhilePurgesDropTheTenantAndOtherAddressesAreErased() {
    for (int round = 0; round < 20; round++) {
      InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
      int touches = 2_000;
      List<Object> done =
          Concurrently.run(
              4,
              i -> {
                SplittableRandom random = new SplittableRandom(i * 31L + 7);
                if (i < 2) { // touchers of kept addresses, each its own
                  for (int k = 0; k < touches; k++) {
                    EmailAddress a = colliding(random.nextInt(32), "k" + i);
                    Instant at = T0.plusNanos(random.nextInt(1_000_000));
                    store.touch(List.of(new ActivityTouch(T, a, random.nextBoolean(), at)));
                  }
                } else if (i == 2) { // touches and erases addresses of the same hash code
                  for (int k = 0; k < touches; k++) {
                    EmailAddress a = colliding(random.nextInt(32), "k");
                    // "k" + bits: same hash code as neither k0/k1 group, so a third run
                    store.touch(List.of(new ActivityTouch(T, a, false, T0)));
                    store.eraseAddress(T, colliding(random.nextInt(32), "k"));
                  }
                } else { // purges marks, dropping the tenant whenever it is found empty
                  for (int k = 0; k < touches; k++) {
                    store.purgeMarksBefore(T0.plusSeconds(86_400L * 30), 1_000);
                  }
                }
                return null;
              });
      assertThat(done).hasSize(4);
      // replay the touchers' streams: the store must hold exactly their merge
      for (int i = 0; i < 2; i++) {
        SplittableRandom random = new SplittableRandom(i * 31L + 7);
        java.util.HashMap<EmailAddress, RecipientActivity> model = new java.util.HashMap<>();
        for (int k = 0; k < touches; k++) {
          EmailAddress a = colliding(random.nextInt(32), "k" + i);
          Instant at = T0.plusNanos(random.nextInt(1_000_000));
          boolean engaged = random.nextBoolean();
          model.merge(
              a,
              new RecipientActivity(at, engaged ? Optional.of(at) : Optional.empty()),
              RgovConcurrentActivityTest::merge);
        }
        Map<EmailAddress, RecipientActivity> found = store.activity(T, model.keySet());
        assertThat(found).as("round %d toucher %d", round, i).isEqualTo(model);
      }
    }
  }

  @Test
  void nothingDatedAtOrBeforeTheTombstoneComesBack() {
    Instant erasedAt = T0.plusSeconds(1_000);
    for (int round = 0; round < 20; round++) {
      InMemoryGovernanceMetricsStore store = InMemoryGovernanceMetricsStore.of();
      List<EmailAddress> addresses = new ArrayList<>();
      for (int b = 0; b < 32; b++) {
        addresses.add(colliding(b, "z"));
      }
      CountDownLatch erased = new CountDownLatch(1);
      long seed = round * 17L;
      Concurrently.run(
          4,
          i -> {
            SplittableRandom random = new SplittableRandom(seed + i);
            if (i == 3) {
              for (int k = 0; k < 50; k++) {
                store.eraseTenant(T, erasedAt);
                // marks of days before the tombstone's day: the tombstone itself stays
                store.purgeMarksBefore(T0, 1_000);
              }
              erased.countDown();
              return null;
            }
            for (int k = 0; k < 1_700; k++) {
              if (k == 1_500) {
                await(erased); // the last 200 touches come after every erasure
              }
              EmailAddress a = addresses.get(random.nextInt(addresses.size()));
              Instant at = T0.plusSeconds(random.nextInt(2_000)).plusNanos(random.nextInt(2));
              boolean engaged = random.nextBoolean();
              store.touch(List.of(new ActivityTouch(T, a, engaged, at)));
              if (!engaged) {
                store.add(
                    List.of(
                        new Increment(
                            T, "e" + i + "-" + k, Optional.empty(), Counter.PROCESSED, false, at)));
              }
              if (random.nextInt(8) == 0) {
                store.eraseAddress(T, addresses.get(random.nextInt(addresses.size())));
              }
            }
            return null;
          });
      Map<EmailAddress, RecipientActivity> left = store.activity(T, addresses);
      assertThat(left).as("touches after the last erasure are kept").isNotEmpty();
      for (RecipientActivity r : left.values()) {
        assertThat(r.firstSent()).as("round %d", round).isAfter(erasedAt);
        r.lastEngaged().ifPresent(e -> assertThat(e).isAfter(erasedAt));
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static RecipientActivity merge(RecipientActivity old, RecipientActivity t) {
    Instant first = t.firstSent().isBefore(old.firstSent()) ? t.firstSent() : old.firstSent();
    Optional<Instant> engaged = old.lastEngaged();
    if (t.lastEngaged().isPresent()
        && (engaged.isEmpty() || t.lastEngaged().get().isAfter(engaged.get()))) {
      engaged = t.lastEngaged();
    }
    return new RecipientActivity(first, engaged);
  }
}
