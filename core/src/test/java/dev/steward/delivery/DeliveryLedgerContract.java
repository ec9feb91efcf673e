package dev.steward.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import dev.steward.testing.Concurrently;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The contract of every {@link DeliveryLedger} (TCK), with multi-instance races. */
public abstract class DeliveryLedgerContract {
  protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000000007Z");

  protected DeliveryLedger store;

  /** A new, empty ledger. */
  protected abstract DeliveryLedger newStore();

  /** Another instance over the data of the last {@link #newStore()} (the same one in memory). */
  protected abstract DeliveryLedger secondInstance();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  protected static final TenantId TENANT = TenantId.of("tenant-1");

  /** The record of a message from {@link #message} whose intent was written at {@link #T0}. */
  protected static DeliveryRecord rec(
      String key, MessageId id, DeliveryStatus status, String providerId, Instant updatedAt) {
    return new DeliveryRecord(
        TENANT,
        key,
        id,
        AccountId.of("acme"),
        ContactId.of("c-1"),
        status,
        java.util.Optional.ofNullable(providerId),
        T0,
        updatedAt);
  }

  protected static Message message(String id, String key) {
    return Message.builder()
        .id(MessageId.of(id))
        .idempotencyKey(key)
        .tenant(TenantId.of("tenant-1"))
        .account(AccountId.of("acme"))
        .contact(ContactId.of("c-1"))
        .to("c-1@example.com")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(T0)
        .build();
  }

  @Test
  void theFirstIntentForAKeyWinsAndIsRecordedAsSending() {
    assertThat(store.recordIntent(message("m-1", "k-1"), T0)).isTrue();

    assertThat(store.find(TENANT, "k-1"))
        .contains(rec("k-1", MessageId.of("m-1"), DeliveryStatus.SENDING, null, T0));
    assertThat(store.find(TENANT, "k-2")).isEmpty();
  }

  @Test
  void aRecordIsFoundByTheIdOfTheMessageThatHoldsItsKey() {
    store.recordIntent(message("m-1", "k-1"), T0);
    store.recordIntent(message("m-2", "k-1"), T0);
    store.markOutcome(TENANT, "k-1", DeliveryStatus.UNKNOWN, null, T0);

    assertThat(store.findByMessage(MessageId.of("m-1")))
        .hasValueSatisfying(
            r -> {
              assertThat(r.idempotencyKey()).isEqualTo("k-1");
              assertThat(r.status()).isEqualTo(DeliveryStatus.UNKNOWN);
            });
    assertThat(store.findByMessage(MessageId.of("m-2")))
        .as("the message that lost the key")
        .isEmpty();
    assertThat(store.findByMessage(MessageId.of("m-9"))).isEmpty();
  }

  @Test
  void unsettledListsOpenOutcomesOlderThanTheCutOffOldestFirst() {
    store.recordIntent(message("m-1", "k-1"), T0); // SENDING at T0
    store.recordIntent(message("m-2", "k-2"), T0.plusSeconds(1));
    store.markOutcome(TENANT, "k-2", DeliveryStatus.UNKNOWN, null, T0.plusSeconds(2));
    store.recordIntent(message("m-3", "k-3"), T0);
    store.markOutcome(TENANT, "k-3", DeliveryStatus.SENT, "p-3", T0.plusSeconds(1));
    store.recordIntent(message("m-4", "k-4"), T0);
    store.markOutcome(TENANT, "k-4", DeliveryStatus.RETRYING, null, T0.plusSeconds(1));
    store.recordIntent(message("m-5", "k-5"), T0.plusSeconds(10)); // too recent

    assertThat(store.unsettled(T0.plusSeconds(10), 10))
        .extracting(DeliveryRecord::idempotencyKey, DeliveryRecord::status)
        .containsExactly(
            tuple("k-1", DeliveryStatus.SENDING), tuple("k-2", DeliveryStatus.UNKNOWN));
    assertThat(store.unsettled(T0.plusSeconds(10), 1))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-1");
    assertThat(store.unsettled(T0, 10)).isEmpty();
    assertThat(store.unsettled(T0.plusSeconds(10), 0)).isEmpty();
  }

  @Test
  void aSecondIntentForTheSameKeyLosesAndChangesNothing() {
    store.recordIntent(message("m-1", "k-1"), T0);

    assertThat(store.recordIntent(message("m-2", "k-1"), T0.plusSeconds(1))).isFalse();
    assertThat(store.recordIntent(message("m-1", "k-1"), T0.plusSeconds(1))).isFalse();
    assertThat(store.find(TENANT, "k-1").orElseThrow())
        .isEqualTo(rec("k-1", MessageId.of("m-1"), DeliveryStatus.SENDING, null, T0));
  }

  @Test
  void markOutcomeRecordsStatusProviderIdAndTime() {
    store.recordIntent(message("m-1", "k-1"), T0);

    assertThat(store.markOutcome(TENANT, "k-1", DeliveryStatus.SENT, "sg-abc", T0.plusMillis(250)))
        .isTrue();
    assertThat(store.find(TENANT, "k-1"))
        .contains(
            rec("k-1", MessageId.of("m-1"), DeliveryStatus.SENT, "sg-abc", T0.plusMillis(250)));
    assertThat(store.markOutcome(TENANT, "absent", DeliveryStatus.SENT, null, T0)).isFalse();
    assertThat(store.find(TENANT, "absent")).isEmpty();
  }

  /**
   * The outcomes each status may move to by {@code markOutcome}, written out here rather than read
   * from {@link DeliveryStatus}, so that the table in the code is checked against this one.
   */
  private static final Map<DeliveryStatus, Set<DeliveryStatus>> ALLOWED =
      Map.of(
          DeliveryStatus.SENDING,
          EnumSet.of(
              DeliveryStatus.RETRYING,
              DeliveryStatus.UNKNOWN,
              DeliveryStatus.SENT,
              DeliveryStatus.FAILED),
          DeliveryStatus.RETRYING,
          EnumSet.of(DeliveryStatus.SENT, DeliveryStatus.FAILED),
          DeliveryStatus.UNKNOWN,
          EnumSet.of(DeliveryStatus.RETRYING, DeliveryStatus.SENT, DeliveryStatus.FAILED),
          DeliveryStatus.FAILED,
          EnumSet.of(DeliveryStatus.SENT),
          DeliveryStatus.SENT,
          EnumSet.noneOf(DeliveryStatus.class));

  static Stream<Arguments> everyTransition() {
    return Arrays.stream(DeliveryStatus.values())
        .flatMap(from -> Arrays.stream(DeliveryStatus.values()).map(to -> Arguments.of(from, to)));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("everyTransition")
  void markOutcomeMovesOnlyForwardAndSaysWhetherItMoved(DeliveryStatus from, DeliveryStatus to) {
    store.recordIntent(message("m-1", "k-1"), T0);
    if (from != DeliveryStatus.SENDING) {
      assertThat(store.markOutcome(TENANT, "k-1", from, "p-from", T0.plusSeconds(1))).isTrue();
    }
    DeliveryRecord before = store.find(TENANT, "k-1").orElseThrow();
    assertThat(before.status()).isEqualTo(from);

    boolean allowed = ALLOWED.get(from).contains(to);
    assertThat(store.markOutcome(TENANT, "k-1", to, "p-to", T0.plusSeconds(2)))
        .as("%s -> %s moves", from, to)
        .isEqualTo(allowed);

    assertThat(store.find(TENANT, "k-1"))
        .contains(
            allowed ? rec("k-1", MessageId.of("m-1"), to, "p-to", T0.plusSeconds(2)) : before);
  }

  @Test
  void aLateUnknownDoesNotOverwriteAProcessedSend() {
    store.recordIntent(message("m-1", "k-1"), T0);
    // the provider's processed event is taken in while the transport call is still timing out
    assertThat(store.markOutcome(TENANT, "k-1", DeliveryStatus.SENT, "sg-1", T0.plusSeconds(1)))
        .isTrue();

    assertThat(store.markOutcome(TENANT, "k-1", DeliveryStatus.UNKNOWN, null, T0.plusSeconds(30)))
        .isFalse();
    assertThat(store.find(TENANT, "k-1"))
        .contains(rec("k-1", MessageId.of("m-1"), DeliveryStatus.SENT, "sg-1", T0.plusSeconds(1)));
    assertThat(store.unsettled(T0.plusSeconds(60), 10)).isEmpty();
  }

  @Test
  void ofARacingSentAndUnknownFromTwoInstancesSentAlwaysStands() {
    DeliveryLedger other = secondInstance();
    int keys = 20;
    for (int k = 0; k < keys; k++) {
      store.recordIntent(message("m-" + k, "k-" + k), T0);
    }

    // per key, one instance settles SENT while the other marks UNKNOWN: whichever runs first,
    // SENT must be what stays (a read-then-write store loses this now and then)
    Concurrently.run(
        2,
        t -> {
          for (int k = 0; k < keys; k++) {
            if (t == 0) {
              store.markOutcome(
                  TENANT, "k-" + k, DeliveryStatus.SENT, "sg-" + k, T0.plusSeconds(1));
            } else {
              other.markOutcome(TENANT, "k-" + k, DeliveryStatus.UNKNOWN, null, T0.plusSeconds(2));
            }
          }
          return null;
        });

    for (int k = 0; k < keys; k++) {
      assertThat(store.find(TENANT, "k-" + k).orElseThrow())
          .as("k-" + k)
          .extracting(DeliveryRecord::status, DeliveryRecord::providerMessageId)
          .containsExactly(DeliveryStatus.SENT, java.util.Optional.of("sg-" + k));
    }
  }

  @Test
  void aRetryingMessageMayRecordItsIntentAgainButNoOtherMessageMay() {
    store.recordIntent(message("m-1", "k-1"), T0);
    store.markOutcome(TENANT, "k-1", DeliveryStatus.RETRYING, "sg-1", T0.plusSeconds(1));

    assertThat(store.recordIntent(message("m-2", "k-1"), T0.plusSeconds(2))).isFalse();
    assertThat(store.recordIntent(message("m-1", "k-1"), T0.plusSeconds(3))).isTrue();
    assertThat(store.find(TENANT, "k-1"))
        .contains(rec("k-1", MessageId.of("m-1"), DeliveryStatus.SENDING, null, T0.plusSeconds(3)));
    assertThat(store.recordIntent(message("m-1", "k-1"), T0.plusSeconds(4))).isFalse();
  }

  @Test
  void finalAndUnknownOutcomesBlockAnyNewIntent() {
    for (DeliveryStatus status :
        List.of(DeliveryStatus.SENT, DeliveryStatus.FAILED, DeliveryStatus.UNKNOWN)) {
      String key = "k-" + status;
      store.recordIntent(message("m-" + status, key), T0);
      store.markOutcome(TENANT, key, status, null, T0);

      assertThat(store.recordIntent(message("m-" + status, key), T0.plusSeconds(1)))
          .as(status.name())
          .isFalse();
      assertThat(store.find(TENANT, key).orElseThrow().status()).isEqualTo(status);
    }
  }

  @Test
  void ofConcurrentIntentsForOneKeyFromTwoInstancesExactlyOneWins() {
    DeliveryLedger other = secondInstance();

    List<Boolean> won =
        Concurrently.run(
            8,
            t ->
                (t % 2 == 0 ? store : other)
                    .recordIntent(message("m-" + t, "shared-key"), T0.plusSeconds(t)));

    assertThat(won).containsOnlyOnce(true);
    int winner = won.indexOf(true);
    DeliveryRecord record = store.find(TENANT, "shared-key").orElseThrow();
    assertThat(record.messageId()).isEqualTo(MessageId.of("m-" + winner));
    assertThat(record.updatedAt()).isEqualTo(T0.plusSeconds(winner));
  }

  @Test
  void aMessageIdHoldsOneRecordSoAnIntentUnderASecondKeyIsRefused() {
    assertThat(store.recordIntent(message("m-1", "k-1"), T0)).isTrue();

    assertThat(store.recordIntent(message("m-1", "k-2"), T0.plusSeconds(1))).isFalse();
    assertThat(store.find(TENANT, "k-2")).as("nothing is written for the refused key").isEmpty();

    // nor while the first record waits for a retry: a message id names one send, whatever state
    store.markOutcome(TENANT, "k-1", DeliveryStatus.RETRYING, null, T0.plusSeconds(2));
    assertThat(store.recordIntent(message("m-1", "k-2"), T0.plusSeconds(3))).isFalse();
    assertThat(store.find(TENANT, "k-2")).isEmpty();

    assertThat(store.findByMessage(MessageId.of("m-1")))
        .contains(
            rec("k-1", MessageId.of("m-1"), DeliveryStatus.RETRYING, null, T0.plusSeconds(2)));
    // the key of the refused intent stays free for the message it belongs to
    assertThat(store.recordIntent(message("m-2", "k-2"), T0.plusSeconds(4))).isTrue();
  }

  @Test
  void ofConcurrentIntentsForOneMessageUnderManyKeysExactlyOneWins() {
    DeliveryLedger other = secondInstance();

    List<Boolean> won =
        Concurrently.run(
            8,
            t ->
                (t % 2 == 0 ? store : other)
                    .recordIntent(message("shared-message", "k-" + t), T0.plusSeconds(t)));

    assertThat(won).containsOnlyOnce(true);
    int winner = won.indexOf(true);
    for (int t = 0; t < won.size(); t++) {
      assertThat(store.find(TENANT, "k-" + t).isPresent())
          .as("record for k-" + t)
          .isEqualTo(t == winner);
    }
    assertThat(other.findByMessage(MessageId.of("shared-message")))
        .map(DeliveryRecord::idempotencyKey)
        .contains("k-" + winner);
  }

  @Test
  void ofConcurrentRetriesOfOneMessageExactlyOneWins() {
    store.recordIntent(message("m-1", "k-1"), T0);
    store.markOutcome(TENANT, "k-1", DeliveryStatus.RETRYING, null, T0);
    DeliveryLedger other = secondInstance();

    List<Boolean> won =
        Concurrently.run(
            8, t -> (t % 2 == 0 ? store : other).recordIntent(message("m-1", "k-1"), T0));

    assertThat(won).containsOnlyOnce(true);
    assertThat(store.find(TENANT, "k-1").orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);
  }

  // ---- retention

  private void settle(String id, String key, DeliveryStatus status, Instant at) {
    assertThat(store.recordIntent(message(id, key), T0)).isTrue();
    if (status != DeliveryStatus.SENDING) {
      assertThat(store.markOutcome(TENANT, key, status, null, at)).isTrue();
    }
  }

  @Test
  void aPurgeDeletesSettledRecordsOlderThanTheCutoffAndNeverOpenOnes() {
    Instant old = T0.plusSeconds(1);
    settle("m-sent", "k-sent", DeliveryStatus.SENT, old);
    settle("m-failed", "k-failed", DeliveryStatus.FAILED, old);
    settle("m-sending", "k-sending", DeliveryStatus.SENDING, old);
    settle("m-retrying", "k-retrying", DeliveryStatus.RETRYING, old);
    settle("m-unknown", "k-unknown", DeliveryStatus.UNKNOWN, old);
    settle("m-recent", "k-recent", DeliveryStatus.SENT, T0.plusSeconds(100));
    settle("m-proved", "k-proved", DeliveryStatus.FAILED, old);
    assertThat(
            store.markOutcome(TENANT, "k-proved", DeliveryStatus.SENT, "p-1", T0.plusSeconds(90)))
        .isTrue();

    int purged = store.purgeSettledBefore(T0.plusSeconds(50), 100);

    assertThat(purged).isEqualTo(2);
    assertThat(store.find(TENANT, "k-sent")).isEmpty();
    assertThat(store.find(TENANT, "k-failed")).isEmpty();
    assertThat(store.findByMessage(MessageId.of("m-sent"))).isEmpty();
    for (String kept : List.of("k-sending", "k-retrying", "k-unknown", "k-recent", "k-proved")) {
      assertThat(store.find(TENANT, kept)).as(kept).isPresent();
    }
    assertThat(store.purgeSettledBefore(T0.plus(java.time.Duration.ofDays(3650)), 100))
        .isEqualTo(2); // k-recent and k-proved; the open ones stay however old
    assertThat(store.unsettled(T0.plusSeconds(2), 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactlyInAnyOrder("k-sending", "k-unknown");
  }

  /**
   * Bounds beyond the storable range find and purge the records changed at its ends, as memory
   * does; the JDBC ledger clamped an "older than" after the range onto its last instant and,
   * reading before it, missed a record changed there.
   */
  @Test
  void boundsBeyondTheStorableRangeFindAndPurgeTheRecordsAtItsEnds() {
    assertThat(store.recordIntent(message("m-first", "k-first"), StoreLimits.MIN_INSTANT)).isTrue();
    assertThat(store.recordIntent(message("m-last", "k-last"), StoreLimits.MAX_INSTANT)).isTrue();

    assertThat(store.unsettled(Instant.MIN, 10)).isEmpty();
    assertThat(store.unsettled(StoreLimits.MIN_INSTANT, 10)).isEmpty();
    assertThat(store.unsettled(StoreLimits.MAX_INSTANT, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-first");
    assertThat(store.unsettled(Instant.MAX, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-first", "k-last");
    assertThat(store.withStatus(DeliveryStatus.SENDING, Instant.MAX, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-first", "k-last");
    assertThat(store.withStatus(DeliveryStatus.SENDING, Instant.MIN, 10)).isEmpty();
    assertThat(store.forAccount(TENANT, AccountId.of("acme"), Instant.MIN, Instant.MAX, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-first", "k-last");
    assertThat(
            store.forAccount(
                TENANT,
                AccountId.of("acme"),
                StoreLimits.MAX_INSTANT.plusNanos(1),
                Instant.MAX,
                10))
        .isEmpty();

    assertThat(
            store.markOutcome(
                TENANT, "k-first", DeliveryStatus.SENT, null, StoreLimits.MIN_INSTANT))
        .isTrue();
    assertThat(
            store.markOutcome(
                TENANT, "k-last", DeliveryStatus.FAILED, null, StoreLimits.MAX_INSTANT))
        .isTrue();
    assertThat(store.withStatus(DeliveryStatus.FAILED, Instant.MAX, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-last");
    assertThat(store.purgeSettledBefore(Instant.MIN, 10)).isZero();
    assertThat(store.purgeSettledBefore(StoreLimits.MIN_INSTANT, 10)).isZero();
    assertThat(store.purgeSettledBefore(StoreLimits.MAX_INSTANT, 10)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-last")).isPresent();
    assertThat(secondInstance().purgeSettledBefore(Instant.MAX, 10)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-last")).isEmpty();
  }

  @Test
  void aPurgeDeletesAtMostMaxOldestFirst() {
    settle("m-1", "k-1", DeliveryStatus.SENT, T0.plusSeconds(3));
    settle("m-2", "k-2", DeliveryStatus.SENT, T0.plusSeconds(1));
    settle("m-3", "k-3", DeliveryStatus.FAILED, T0.plusSeconds(2));

    assertThat(store.purgeSettledBefore(T0.plusSeconds(10), 2)).isEqualTo(2);
    assertThat(store.find(TENANT, "k-1")).isPresent();
    assertThat(store.find(TENANT, "k-2")).isEmpty();
    assertThat(store.find(TENANT, "k-3")).isEmpty();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(10), 2)).isEqualTo(1);
    assertThat(store.purgeSettledBefore(T0.plusSeconds(10), 2)).isZero();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(10), 0)).isZero();
  }

  /**
   * mem: the in-memory ledger skips the scan of a purge whose cutoff is not after the earliest
   * settled change it knows of; every record settled before the cutoff is still found, whatever
   * order the records settled in, after a purge cut short by its max, and after a record moved from
   * FAILED to SENT at an earlier instant.
   */
  @Test
  void aPurgeFindsEveryRecordSettledBeforeTheCutoffWhateverTheOrderTheySettledIn() {
    settle("m-late", "k-late", DeliveryStatus.SENT, T0.plusSeconds(100));
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 10)).isZero();
    settle("m-early", "k-early", DeliveryStatus.FAILED, T0.plusSeconds(5));
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 10)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-early")).isEmpty();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 10)).isZero();

    settle("m-a", "k-a", DeliveryStatus.SENT, T0.plusSeconds(20));
    settle("m-b", "k-b", DeliveryStatus.SENT, T0.plusSeconds(30));
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 1)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-a")).isEmpty();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 1)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-b")).isEmpty();

    settle("m-f", "k-f", DeliveryStatus.FAILED, T0.plusSeconds(300));
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 10)).isZero();
    assertThat(store.markOutcome(TENANT, "k-f", DeliveryStatus.SENT, "p-f", T0.plusSeconds(10)))
        .isTrue();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(50), 10)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-f")).isEmpty();
    assertThat(store.purgeSettledBefore(T0.plusSeconds(200), 10)).isEqualTo(1);
    assertThat(store.find(TENANT, "k-late")).isEmpty();
  }

  /**
   * mem: the in-memory ledger answers a sweep for a status no record has without a scan; a record
   * is found under each status it moves into, and under none once it left or was purged.
   */
  @Test
  void aSweepByStatusFollowsARecordThroughItsStatuses() {
    Instant later = T0.plusSeconds(60);
    assertThat(store.withStatus(DeliveryStatus.SENDING, later, 10)).isEmpty();
    assertThat(store.unsettled(later, 10)).isEmpty();
    store.recordIntent(message("m-1", "k-1"), T0);
    assertThat(store.withStatus(DeliveryStatus.SENDING, later, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-1");
    store.markOutcome(TENANT, "k-1", DeliveryStatus.UNKNOWN, null, T0.plusSeconds(1));
    assertThat(store.withStatus(DeliveryStatus.SENDING, later, 10)).isEmpty();
    assertThat(store.unsettled(later, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-1");
    store.markOutcome(TENANT, "k-1", DeliveryStatus.RETRYING, null, T0.plusSeconds(2));
    assertThat(store.unsettled(later, 10)).isEmpty();
    assertThat(store.withStatus(DeliveryStatus.RETRYING, later, 10)).hasSize(1);
    assertThat(store.recordIntent(message("m-1", "k-1"), T0.plusSeconds(3))).isTrue();
    assertThat(store.withStatus(DeliveryStatus.RETRYING, later, 10)).isEmpty();
    assertThat(store.withStatus(DeliveryStatus.SENDING, later, 10)).hasSize(1);
    store.markOutcome(TENANT, "k-1", DeliveryStatus.SENT, "p-1", T0.plusSeconds(4));
    assertThat(store.withStatus(DeliveryStatus.SENDING, later, 10)).isEmpty();
    assertThat(store.withStatus(DeliveryStatus.SENT, later, 10)).hasSize(1);
    assertThat(store.purgeSettledBefore(later, 10)).isEqualTo(1);
    assertThat(store.withStatus(DeliveryStatus.SENT, later, 10)).isEmpty();
  }

  @Test
  void oncePurgedAKeyAndAMessageIdMayBeRecordedAgain() {
    settle("m-1", "k-1", DeliveryStatus.SENT, T0.plusSeconds(1));
    assertThat(store.recordIntent(message("m-1", "k-2"), T0)).isFalse();

    assertThat(store.purgeSettledBefore(T0.plusSeconds(10), 10)).isEqualTo(1);

    assertThat(store.recordIntent(message("m-1", "k-2"), T0.plusSeconds(20))).isTrue();
    assertThat(store.findByMessage(MessageId.of("m-1")))
        .get()
        .extracting(DeliveryRecord::idempotencyKey)
        .isEqualTo("k-2");
  }

  // ---- tenants

  /** A transactional message of a tenant's account and contact (rb4's batch differential too). */
  public static Message messageOf(
      String tenant, String account, String contact, String id, String key) {
    return Message.builder()
        .id(MessageId.of(id))
        .idempotencyKey(key)
        .tenant(TenantId.of(tenant))
        .account(AccountId.of(account))
        .contact(ContactId.of(contact))
        .to(contact + "@example.com")
        .kind(MessageKind.TRANSACTIONAL)
        .category("receipts")
        .source(Source.BILLING)
        .createdAt(T0)
        .build();
  }

  @Test
  void theSameIdempotencyKeyUnderTwoTenantsIsTwoRecords() {
    TenantId a = TenantId.of("tenant-a");
    TenantId b = TenantId.of("tenant-b");
    assertThat(store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-a", "k-1"), T0)).isTrue();
    assertThat(store.recordIntent(messageOf("tenant-b", "acme", "c-1", "m-b", "k-1"), T0)).isTrue();

    assertThat(store.markOutcome(a, "k-1", DeliveryStatus.SENT, "p-a", T0.plusSeconds(1))).isTrue();

    assertThat(store.find(a, "k-1").orElseThrow().status()).isEqualTo(DeliveryStatus.SENT);
    assertThat(store.find(b, "k-1").orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);
    assertThat(store.find(b, "k-1").orElseThrow().messageId()).isEqualTo(MessageId.of("m-b"));
    assertThat(store.findByMessage(MessageId.of("m-b")).orElseThrow().tenant()).isEqualTo(b);
    assertThat(secondInstance().find(TenantId.of("tenant-c"), "k-1")).isEmpty();
  }

  @Test
  void aMessageIdIsUniqueAcrossTenants() {
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-1", "k-1"), T0);

    assertThat(store.recordIntent(messageOf("tenant-b", "acme", "c-1", "m-1", "k-9"), T0))
        .as("provider events name the message id alone")
        .isFalse();
    assertThat(store.find(TenantId.of("tenant-b"), "k-9")).isEmpty();
  }

  @Test
  void aRecordNamesItsAccountContactAndIntentTime() {
    store.recordIntent(messageOf("tenant-a", "acme", "c-7", "m-1", "k-1"), T0);
    store.markOutcome(
        TenantId.of("tenant-a"), "k-1", DeliveryStatus.RETRYING, null, T0.plusSeconds(5));
    store.recordIntent(messageOf("tenant-a", "acme", "c-7", "m-1", "k-1"), T0.plusSeconds(9));

    DeliveryRecord r = store.find(TenantId.of("tenant-a"), "k-1").orElseThrow();
    assertThat(r.account()).isEqualTo(AccountId.of("acme"));
    assertThat(r.contact()).isEqualTo(ContactId.of("c-7"));
    assertThat(r.createdAt()).as("a retry keeps the first intent's time").isEqualTo(T0);
    assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(r.providerMessageId()).isEmpty();
  }

  @Test
  void forAccountListsOneAccountsRecordsInTheRangeOldestFirst() {
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-1", "k-1"), T0.plusSeconds(20));
    store.recordIntent(messageOf("tenant-a", "acme", "c-2", "m-2", "k-2"), T0.plusSeconds(10));
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-3", "k-3"), T0.plusSeconds(30));
    store.recordIntent(messageOf("tenant-a", "globex", "c-1", "m-4", "k-4"), T0.plusSeconds(15));
    store.recordIntent(messageOf("tenant-b", "acme", "c-1", "m-5", "k-5"), T0.plusSeconds(15));
    TenantId a = TenantId.of("tenant-a");

    assertThat(store.forAccount(a, AccountId.of("acme"), T0, T0.plusSeconds(30), 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .as("from inclusive, to exclusive")
        .containsExactly("k-2", "k-1");
    assertThat(store.forAccount(a, AccountId.of("acme"), T0.plusSeconds(10), T0.plusSeconds(31), 2))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-2", "k-1");
    assertThat(
            secondInstance()
                .forAccount(
                    TenantId.of("tenant-b"), AccountId.of("acme"), T0, T0.plusSeconds(99), 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-5");
    assertThat(store.forAccount(a, AccountId.of("acme"), T0, T0.plusSeconds(99), 0)).isEmpty();
  }

  @Test
  void anAccountsRecordsAreListedAsTheyComeAndGoOneTwoThreeThenNone() {
    TenantId a = TenantId.of("tenant-a");
    AccountId acme = AccountId.of("acme");
    Instant end = T0.plusSeconds(99);
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-1", "k-1"), T0);
    assertThat(store.forAccount(a, acme, T0, end, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-1");

    store.recordIntent(messageOf("tenant-a", "acme", "c-2", "m-2", "k-2"), T0.plusSeconds(1));
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-3", "k-3"), T0.plusSeconds(2));
    assertThat(store.forAccount(a, acme, T0, end, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-1", "k-2", "k-3");

    assertThat(store.eraseContact(a, ContactId.of("c-1"))).isEqualTo(2);
    assertThat(store.forAccount(a, acme, T0, end, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-2");
    assertThat(store.eraseContact(a, ContactId.of("c-2"))).isEqualTo(1);
    assertThat(store.forAccount(a, acme, T0, end, 10)).isEmpty();

    // the account's one record, gone, then another: only the new one is listed
    store.recordIntent(messageOf("tenant-a", "acme", "c-3", "m-4", "k-4"), T0.plusSeconds(3));
    assertThat(store.eraseContact(a, ContactId.of("c-3"))).isEqualTo(1);
    store.recordIntent(messageOf("tenant-a", "acme", "c-4", "m-5", "k-5"), T0.plusSeconds(4));
    assertThat(secondInstance().forAccount(a, acme, T0, end, 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-5");
  }

  @Test
  void erasingAContactOrATenantRemovesOnlyTheirRecords() {
    store.recordIntent(messageOf("tenant-a", "acme", "c-1", "m-1", "k-1"), T0);
    store.recordIntent(messageOf("tenant-a", "acme", "c-2", "m-2", "k-2"), T0);
    store.recordIntent(messageOf("tenant-b", "acme", "c-1", "m-3", "k-3"), T0);
    store.recordIntent(messageOf("tenant-b", "acme", "c-2", "m-4", "k-4"), T0);
    TenantId a = TenantId.of("tenant-a");
    TenantId b = TenantId.of("tenant-b");

    assertThat(store.eraseContact(a, ContactId.of("c-1"))).isEqualTo(1);
    assertThat(store.find(a, "k-1")).isEmpty();
    assertThat(store.findByMessage(MessageId.of("m-1"))).isEmpty();
    assertThat(store.find(b, "k-3")).as("the same contact id under another tenant").isPresent();
    assertThat(store.forAccount(a, AccountId.of("acme"), T0, T0.plusSeconds(1), 10))
        .extracting(DeliveryRecord::idempotencyKey)
        .containsExactly("k-2");

    assertThat(secondInstance().eraseTenant(b)).isEqualTo(2);
    assertThat(store.eraseTenant(b)).as("idempotent").isZero();
    assertThat(store.find(b, "k-3")).isEmpty();
    assertThat(store.find(b, "k-4")).isEmpty();
    assertThat(store.find(a, "k-2")).isPresent();
    // an erased key and message id may be recorded again
    assertThat(store.recordIntent(messageOf("tenant-b", "acme", "c-1", "m-3", "k-3"), T0)).isTrue();
  }

  // ---- the set-based forms (Dispatcher.dispatchAll) -------------------------------------------

  @Test
  void findAllAnswersTheRecordsOfTheKeysThatHaveOneWithinTheTenantBeyondOneChunk() {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 620; i++) {
      keys.add("k-" + i);
      if (i % 3 == 0) {
        store.recordIntent(message("m-" + i, "k-" + i), T0);
      }
    }
    Map<String, DeliveryRecord> found = store.findAll(TENANT, keys);

    assertThat(found).hasSize(207);
    assertThat(found.keySet()).allMatch(k -> Integer.parseInt(k.substring(2)) % 3 == 0);
    assertThat(found.get("k-603"))
        .isEqualTo(rec("k-603", MessageId.of("m-603"), DeliveryStatus.SENDING, null, T0));
    assertThat(store.findAll(TenantId.of("tenant-2"), keys)).isEmpty();
    assertThat(store.findAll(TENANT, List.of())).isEmpty();
  }

  /**
   * Hostile review (rb7): a key no message may hold (a NUL, half a surrogate pair, which
   * PostgreSQL's driver sends as '?', 201 characters) has no record, whatever records the keys it
   * resembles have; a read with it answers absent, as for any key without one, and never fails.
   */
  @Test
  void aKeyNoMessageMayHoldHasNoRecordEvenWhenItsLookAlikeHasOne() {
    store.recordIntent(message("m-1", "k?"), T0);
    store.recordIntent(message("m-2", "x".repeat(200)), T0);
    List<String> unstorable = List.of("k\uD800", "k\u0000", "x".repeat(201), "");

    for (String key : unstorable) {
      assertThat(store.find(TENANT, key)).as("find %s", key.length()).isEmpty();
    }
    assertThat(store.findAll(TENANT, unstorable)).isEmpty();
    List<String> mixed = new java.util.ArrayList<>(unstorable);
    mixed.add("k?");
    assertThat(store.findAll(TENANT, mixed)).containsOnlyKeys("k?");
  }

  /**
   * Hostile review (rb7): an outcome for a key no message may hold (half a surrogate pair, which
   * PostgreSQL's driver sends as '?') moves no record, not the record of the key it resembles.
   */
  @Test
  void anOutcomeForAKeyNoMessageMayHoldMovesNotItsLookAlike() {
    store.recordIntent(message("m-1", "k?"), T0);

    assertThat(store.markOutcome(TENANT, "k\uD800", DeliveryStatus.SENT, "p-1", T0.plusSeconds(1)))
        .isFalse();
    assertThat(
            store.markOutcomes(
                List.of(
                    new OutcomeMark(
                        TENANT,
                        "k\uDFFF",
                        DeliveryStatus.FAILED,
                        java.util.Optional.empty(),
                        T0.plusSeconds(2)),
                    new OutcomeMark(
                        TENANT,
                        "k\u0000",
                        DeliveryStatus.FAILED,
                        java.util.Optional.empty(),
                        T0.plusSeconds(2)))))
        .isEmpty();
    assertThat(store.find(TENANT, "k?"))
        .contains(rec("k?", MessageId.of("m-1"), DeliveryStatus.SENDING, null, T0));
  }

  @Test
  void recordIntentsWritesEachAsRecordIntentWouldInListOrder() {
    store.recordIntent(message("m-taken", "k-taken"), T0);
    store.recordIntent(message("m-retry", "k-retry"), T0);
    store.markOutcome(TENANT, "k-retry", DeliveryStatus.RETRYING, null, T0);
    store.recordIntent(message("m-elsewhere", "k-elsewhere"), T0);

    Set<MessageId> written =
        store.recordIntents(
            List.of(
                message("m-1", "k-1"),
                message("m-2", "k-taken"), // the key is taken
                message("m-retry", "k-retry"), // its own RETRYING record: written again
                message("m-3", "k-1"), // the same key as m-1, later in the list
                message("m-elsewhere", "k-4"), // its id has a record under another key
                message("m-5", "k-5")),
            T0.plusSeconds(1));

    assertThat(written)
        .containsExactlyInAnyOrder(
            MessageId.of("m-1"), MessageId.of("m-retry"), MessageId.of("m-5"));
    assertThat(store.find(TENANT, "k-1").orElseThrow().messageId()).isEqualTo(MessageId.of("m-1"));
    assertThat(store.find(TENANT, "k-retry").orElseThrow().status())
        .isEqualTo(DeliveryStatus.SENDING);
    assertThat(store.find(TENANT, "k-taken").orElseThrow().messageId())
        .isEqualTo(MessageId.of("m-taken"));
    assertThat(store.find(TENANT, "k-4")).isEmpty();
    DeliveryRecord five = store.find(TENANT, "k-5").orElseThrow();
    assertThat(five.status()).isEqualTo(DeliveryStatus.SENDING);
    assertThat(five.createdAt()).isEqualTo(T0.plusSeconds(1));
    assertThat(five.updatedAt()).isEqualTo(T0.plusSeconds(1));
  }

  @Test
  void recordIntentsWritesMoreThanOneChunk() {
    List<Message> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1_050; i++) {
      many.add(message("m-" + i, "k-" + i));
    }
    assertThat(store.recordIntents(many, T0)).hasSize(1_050);
    assertThat(store.recordIntents(many, T0)).isEmpty();
    assertThat(store.find(TENANT, "k-1049")).isPresent();
  }

  @Test
  void markOutcomesMovesEachAsMarkOutcomeWouldAndAnswersThoseThatMoved() {
    for (int i = 0; i < 4; i++) {
      store.recordIntent(message("m-" + i, "k-" + i), T0);
    }
    store.markOutcome(TENANT, "k-3", DeliveryStatus.SENT, "sg-3", T0);
    Instant later = T0.plusSeconds(5);
    OutcomeMark sent0 = OutcomeMark.of(TENANT, "k-0", DeliveryStatus.SENT, "sg-0", later);
    OutcomeMark sent1 = OutcomeMark.of(TENANT, "k-1", DeliveryStatus.SENT, "sg-1", later);
    OutcomeMark failed2 = OutcomeMark.of(TENANT, "k-2", DeliveryStatus.FAILED, null, later);
    OutcomeMark late3 = OutcomeMark.of(TENANT, "k-3", DeliveryStatus.UNKNOWN, null, later);
    OutcomeMark none = OutcomeMark.of(TENANT, "k-none", DeliveryStatus.SENT, "sg-x", later);

    assertThat(store.markOutcomes(List.of(sent0, late3, failed2, none, sent1)))
        .containsExactly(sent0, failed2, sent1);
    assertThat(store.find(TENANT, "k-0").orElseThrow())
        .isEqualTo(rec("k-0", MessageId.of("m-0"), DeliveryStatus.SENT, "sg-0", later));
    assertThat(store.find(TENANT, "k-1").orElseThrow().providerMessageId()).hasValue("sg-1");
    assertThat(store.find(TENANT, "k-2").orElseThrow())
        .isEqualTo(rec("k-2", MessageId.of("m-2"), DeliveryStatus.FAILED, null, later));
    assertThat(store.find(TENANT, "k-3").orElseThrow())
        .isEqualTo(rec("k-3", MessageId.of("m-3"), DeliveryStatus.SENT, "sg-3", T0));
    assertThat(store.markOutcomes(List.of(sent0))).isEmpty();
  }

  @Test
  void togetherRunsTheWorkAndAnswersItsResult() {
    assertThat(
            store.together(
                () -> {
                  store.recordIntent(message("m-1", "k-1"), T0);
                  return store.markOutcomes(
                      List.of(OutcomeMark.of(TENANT, "k-1", DeliveryStatus.SENT, "sg-1", T0)));
                }))
        .hasSize(1);
    assertThat(store.find(TENANT, "k-1").orElseThrow().status()).isEqualTo(DeliveryStatus.SENT);
  }
}
