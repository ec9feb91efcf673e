package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.Channel;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of every {@link DeferredQueue} (TCK): a subclass per implementation supplies a fresh
 * empty store and, for the multi-instance tests, a second instance over the same data.
 */
public abstract class DeferredQueueContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456789Z");
  protected static final Duration LEASE = Duration.ofSeconds(30);

  protected DeferredQueue store;

  /** A new store with no messages. */
  protected abstract DeferredQueue newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract DeferredQueue secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static Message message(String id, String contact) {
    return Message.builder()
        .id(MessageId.of(id))
        .tenant(TenantId.of("tenant-1"))
        .account(AccountId.of("acme"))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .kind(MessageKind.PROMOTIONAL)
        .category("product-updates")
        .source(Source.MARKETING)
        .createdAt(T0.minusSeconds(60))
        .build();
  }

  protected static DeferredMessage deferred(String id, String contact, Instant dueAt) {
    return new DeferredMessage(message(id, contact), dueAt, 1, "quiet hours");
  }

  private static List<String> ids(List<DeferredMessage> messages) {
    return messages.stream().map(d -> d.message().id().value()).toList();
  }

  @Test
  void aDeferredMessageComesBackExactlyAsItWasStored() {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", "Zoë");
    data.put("snow \u2603 \uD83D\uDE00", "\uD83D\uDE00 \u6F22\u5B57 and \u0000");
    data.put("count", 3);
    data.put("big", 12_345_678_901L);
    data.put("ratio", 0.25);
    data.put("vip", true);
    data.put("amount", new BigDecimal("12.50"));
    data.put("nothing", null);
    data.put("tags", List.of("a", "b"));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("items", List.of(1, Map.of("sku", "x-1", "qty", 2L)));
    nested.put("flag", false);
    data.put("order", nested);
    Message email =
        message("m-rich", "c-1").toBuilder()
            .idempotencyKey("order-42/receipt")
            .recipientZone(ZoneId.of("Asia/Kolkata"))
            .priority(Priority.HIGH)
            .source(Source.journey("csm", "onboarding", "day-3"))
            .templateId("d-123")
            .personalisation(data)
            .createdAt(Instant.parse("2026-02-28T23:59:59.987654321Z"))
            .build();
    Message sms =
        message("m-sms", "c-2").toBuilder()
            .channel(Channel.SMS)
            .to((dev.steward.model.EmailAddress) null)
            .recipientZone(ZoneId.of("America/St_Johns"))
            .build();
    DeferredMessage first = new DeferredMessage(email, T0.plusNanos(1), 3, "cap: 3 per week", 2);
    DeferredMessage second = new DeferredMessage(sms, T0.plusSeconds(5), 1, "");

    store.defer(first);
    store.defer(second);

    assertThat(store.find(email.id())).contains(first);
    assertThat(store.find(sms.id())).contains(second);
    assertThat(store.find(email.id()).orElseThrow().message().personalisation().get("big"))
        .isInstanceOf(Long.class);
    assertThat(store.find(MessageId.of("absent"))).isEmpty();
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void claimDueReturnsOnlyDueMessagesEarliestFirstUpToMax() {
    store.defer(deferred("m-late", "c-1", T0.plusSeconds(1)));
    store.defer(deferred("m-3", "c-1", T0));
    store.defer(deferred("m-1", "c-2", T0.minusSeconds(20)));
    store.defer(deferred("m-2", "c-3", T0.minusSeconds(10)));

    assertThat(ids(store.claimDue(T0, 2, "worker-a", LEASE))).containsExactly("m-1", "m-2");
    assertThat(ids(store.claimDue(T0, 10, "worker-a", LEASE))).containsExactly("m-3");
    assertThat(store.claimDue(T0, 10, "worker-a", LEASE)).isEmpty();
    assertThat(ids(store.claimDue(T0.plusSeconds(1), 10, "worker-a", LEASE)))
        .containsExactly("m-late");
  }

  @Test
  void claimingWithMaxZeroClaimsNothing() {
    store.defer(deferred("m-1", "c-1", T0));

    assertThat(store.claimDue(T0, 0, "worker-a", LEASE)).isEmpty();
    assertThat(ids(store.claimDue(T0, 1, "worker-b", LEASE))).containsExactly("m-1");
  }

  @Test
  void aClaimedMessageStaysPendingAndIsNotClaimedAgainUntilItsLeaseIsOver() {
    DeferredMessage d = deferred("m-1", "c-1", T0);
    store.defer(d);

    assertThat(store.claimDue(T0, 5, "worker-a", LEASE)).containsExactly(d);

    DeferredQueue other = secondInstance();
    assertThat(store.find(d.message().id())).contains(d);
    assertThat(store.size()).isEqualTo(1);
    assertThat(other.claimDue(T0.plus(LEASE).minusNanos(1), 5, "worker-b", LEASE)).isEmpty();
    assertThat(other.claimDue(T0.plus(LEASE), 5, "worker-b", LEASE)).containsExactly(d);
    assertThat(store.claimDue(T0.plus(LEASE).plusSeconds(1), 5, "worker-a", LEASE)).isEmpty();
  }

  @Test
  void anInstanceThatCrashedAfterClaimingLosesTheMessageToAnotherAfterTheLease() {
    store.defer(deferred("m-1", "c-1", T0));
    store.defer(deferred("m-2", "c-1", T0));
    assertThat(store.claimDue(T0, 5, "crashed", LEASE)).hasSize(2);
    // the "crashed" owner never completes; the survivor polls
    DeferredQueue survivor = secondInstance();

    assertThat(survivor.claimDue(T0.plusSeconds(29), 5, "survivor", LEASE)).isEmpty();
    assertThat(ids(survivor.claimDue(T0.plusSeconds(30), 5, "survivor", LEASE)))
        .containsExactly("m-1", "m-2");
  }

  @Test
  void deferringAgainReplacesTheEntryAndDropsItsClaim() {
    store.defer(deferred("m-1", "c-1", T0));
    store.claimDue(T0, 1, "worker-a", LEASE);
    DeferredMessage again = new DeferredMessage(message("m-1", "c-1"), T0.plusSeconds(5), 2, "cap");

    store.defer(again);

    assertThat(store.find(MessageId.of("m-1"))).contains(again);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.claimDue(T0.plusSeconds(4), 1, "worker-b", LEASE)).isEmpty();
    assertThat(store.claimDue(T0.plusSeconds(5), 1, "worker-b", LEASE)).containsExactly(again);
  }

  @Test
  void reschedulingReplacesAClaimedEntryButNeverBringsBackACancelledOne() {
    store.defer(deferred("m-1", "c-1", T0));
    store.defer(deferred("m-2", "c-2", T0));
    store.claimDue(T0, 2, "worker-a", LEASE);
    DeferredMessage later =
        new DeferredMessage(message("m-1", "c-1"), T0.plusSeconds(5), 2, "transport: 503", 1);
    // while worker-a holds m-2, the contact is erased
    secondInstance().cancelContact(ContactId.of("c-2"));

    assertThat(store.reschedule(later)).isTrue();
    assertThat(
            store.reschedule(
                new DeferredMessage(message("m-2", "c-2"), T0.plusSeconds(5), 2, "cap")))
        .isFalse();

    assertThat(store.find(MessageId.of("m-1"))).contains(later);
    assertThat(store.find(MessageId.of("m-2"))).isEmpty();
    assertThat(store.claimDue(T0.plusSeconds(5), 5, "worker-b", LEASE)).containsExactly(later);
  }

  @Test
  void completeAndCancelRemoveAMessageOnce() {
    store.defer(deferred("m-1", "c-1", T0));
    store.defer(deferred("m-2", "c-1", T0));
    store.claimDue(T0, 1, "worker-a", LEASE);

    assertThat(store.complete(MessageId.of("m-1"))).isTrue();
    assertThat(store.complete(MessageId.of("m-1"))).isFalse();
    assertThat(store.cancel(MessageId.of("m-2"))).isTrue();
    assertThat(store.cancel(MessageId.of("m-2"))).isFalse();
    assertThat(store.size()).isZero();
    assertThat(store.claimDue(T0.plus(LEASE), 5, "worker-a", LEASE)).isEmpty();
  }

  @Test
  void cancelContactRemovesOnlyThatContactsMessages() {
    store.defer(deferred("m-1", "c-1", T0));
    store.defer(deferred("m-2", "c-1", T0.plusSeconds(9)));
    store.defer(deferred("m-3", "c-2", T0));

    assertThat(store.cancelContact(ContactId.of("c-1"))).isEqualTo(2);
    assertThat(store.cancelContact(ContactId.of("c-1"))).isZero();
    assertThat(store.pendingFor(ContactId.of("c-1"))).isEmpty();
    assertThat(ids(store.pendingFor(ContactId.of("c-2")))).containsExactly("m-3");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void pendingForListsAContactsMessagesEarliestDueFirst() {
    store.defer(deferred("m-b", "c-1", T0.plusSeconds(20)));
    store.defer(deferred("m-a", "c-1", T0.plusSeconds(10)));
    store.defer(deferred("m-c", "c-1", T0.minusSeconds(10)));
    store.defer(deferred("m-x", "c-2", T0));

    assertThat(ids(store.pendingFor(ContactId.of("c-1")))).containsExactly("m-c", "m-a", "m-b");
  }

  @Test
  void instancesClaimingConcurrentlyNeverGetTheSameMessage() {
    int messages = 40;
    for (int i = 0; i < messages; i++) {
      store.defer(deferred(String.format("m-%02d", i), "c-" + (i % 7), T0.minusMillis(i)));
    }
    DeferredQueue other = secondInstance();

    List<List<String>> claimedPerThread =
        Concurrently.run(
            8,
            t -> {
              DeferredQueue q = t % 2 == 0 ? store : other;
              List<String> mine = new ArrayList<>();
              for (List<DeferredMessage> batch = q.claimDue(T0, 3, "worker-" + t, LEASE);
                  !batch.isEmpty();
                  batch = q.claimDue(T0, 3, "worker-" + t, LEASE)) {
                mine.addAll(ids(batch));
              }
              return mine;
            });

    List<String> all = claimedPerThread.stream().flatMap(List::stream).toList();
    Set<String> distinct = new HashSet<>(all);
    assertThat(all).hasSize(messages);
    assertThat(distinct).hasSize(messages);
    assertThat(store.claimDue(T0.plusSeconds(1), messages, "late", LEASE)).isEmpty();
  }
}
