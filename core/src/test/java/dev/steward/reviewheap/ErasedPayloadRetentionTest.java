package dev.steward.reviewheap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InMemoryWorkStore;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkState;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Erasure (cancelSubject, cancelTenant) must leave nothing of the erased items in the work store:
 * the compact store shares short payloads through a map of their texts, which outlived the items.
 */
class ErasedPayloadRetentionTest {
  private static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  private static final TenantId T1 = TenantId.of("t1");

  @Test
  void aShortPayloadOfAnErasedSubjectIsNoLongerHeldByTheStore() {
    InMemoryWorkStore store = InMemoryWorkStore.of(Clock.fixed(T0, ZoneOffset.UTC));
    WeakReference<String> payload = scheduleFor(store, "ann", "{\"to\":\"ann@example.com\"}");
    assertThat(store.cancelSubject(T1, "ann")).isEqualTo(1);
    assertThat(store.count(WorkState.READY)).isZero();
    assertThat(collected(payload)).as("the erased contact's payload text is unreachable").isTrue();
  }

  @Test
  void aShortPayloadOfAnErasedTenantIsNoLongerHeldByTheStore() {
    InMemoryWorkStore store = InMemoryWorkStore.of(Clock.fixed(T0, ZoneOffset.UTC));
    WeakReference<String> payload = scheduleFor(store, "bob", "{\"to\":\"bob@example.com\"}");
    assertThat(store.cancelTenant(T1)).isEqualTo(1);
    assertThat(collected(payload)).as("the erased tenant's payload text is unreachable").isTrue();
  }

  @Test
  void erasingOneSubjectKeepsTheOthersPayloadsIntact() {
    InMemoryWorkStore store = InMemoryWorkStore.of(Clock.fixed(T0, ZoneOffset.UTC));
    String shared = "{\"step\":2}";
    for (String who : new String[] {"ann", "bob"}) {
      store.schedule(
          WorkItem.builder(T1, "k", who).subject(who).payload(shared).dueAt(T0).build(),
          IfExists.REPLACE);
    }
    store.cancelSubject(T1, "ann");
    store.schedule(
        WorkItem.builder(T1, "k", "cid").subject("cid").payload(shared).dueAt(T0).build(),
        IfExists.REPLACE);
    assertThat(store.find(dev.steward.schedule.WorkKey.of(T1, "k", "bob")).orElseThrow().payload())
        .isEqualTo(shared);
    assertThat(store.find(dev.steward.schedule.WorkKey.of(T1, "k", "cid")).orElseThrow().payload())
        .isEqualTo(shared);
  }

  /** Schedules one item whose payload is a fresh string only the store refers to afterwards. */
  private static WeakReference<String> scheduleFor(
      InMemoryWorkStore store, String contact, String text) {
    String payload = new String(text.toCharArray());
    assertThat(payload.length()).isLessThanOrEqualTo(32); // short enough to be shared
    store.schedule(
        WorkItem.builder(T1, "send", contact + "-1")
            .subject(contact)
            .payload(payload)
            .dueAt(T0)
            .build(),
        IfExists.REPLACE);
    return new WeakReference<>(payload);
  }

  private static boolean collected(WeakReference<String> ref) {
    for (int i = 0; i < 20 && ref.get() != null; i++) {
      System.gc();
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return ref.get() == null;
  }
}
