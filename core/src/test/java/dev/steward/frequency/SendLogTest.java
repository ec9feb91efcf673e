package dev.steward.frequency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The packed send log keeps the entries, their order and the byte form stores rely on. */
class SendLogTest {
  private static LedgerEntry send(long at, String category) {
    return new LedgerEntry(
        LedgerEntry.Type.SEND, at, MessageKind.EDUCATIONAL, Channel.SMS, category, "csm");
  }

  private static LedgerEntry activity(long at, String name) {
    return new LedgerEntry(LedgerEntry.Type.ACTIVITY, at, null, null, name, null);
  }

  private static LedgerEntry journey(long at, String id) {
    return new LedgerEntry(LedgerEntry.Type.JOURNEY, at, null, null, id, null);
  }

  @Test
  void entriesStayInTimeOrderAndSurviveTheByteForm() {
    SendLog log =
        SendLog.empty()
            .with(send(30, "news"))
            .with(activity(10, "ticket-closed"))
            .with(journey(20, "onboarding"))
            .with(send(-5, "tips"))
            .with(send(30, "offers"));

    assertThat(log.entries())
        .containsExactly(
            send(-5, "tips"),
            activity(10, "ticket-closed"),
            journey(20, "onboarding"),
            send(30, "news"),
            send(30, "offers"));
    SendLog back = SendLog.fromBytes(log.toBytes());
    assertThat(back).isEqualTo(log).hasSameHashCodeAs(log);
    assertThat(back.entries()).isEqualTo(log.entries());
    assertThat(SendLog.of(List.of(send(30, "news"), send(-5, "tips"))))
        .isEqualTo(SendLog.empty().with(send(-5, "tips")).with(send(30, "news")));
    assertThat(SendLog.fromBytes(new byte[0])).isEqualTo(SendLog.empty());
    assertThat(SendLog.fromBytes(SendLog.empty().toBytes()).isEmpty()).isTrue();
  }

  @Test
  void withoutRemovesTheNewestEqualEntryOnly() {
    SendLog log = SendLog.empty().with(send(1, "news")).with(send(2, "news")).with(send(2, "news"));
    SendLog less = log.without(send(2, "news"));
    assertThat(less.entries()).containsExactly(send(1, "news"), send(2, "news"));
    assertThat(log.without(send(3, "news"))).isSameAs(log);
    assertThat(log.size()).isEqualTo(3);
  }

  @Test
  void pruningKeepsJourneysAndRecentEntries() {
    SendLog log =
        SendLog.empty()
            .with(send(1, "a"))
            .with(journey(2, "j"))
            .with(activity(3, "x"))
            .with(send(9, "b"));
    assertThat(log.prunedBefore(3).entries())
        .containsExactly(journey(2, "j"), activity(3, "x"), send(9, "b"));
    assertThat(log.prunedBefore(0)).isSameAs(log);
  }

  @Test
  void journeyIdsStayStringsThroughEveryChange() {
    SendLog log =
        SendLog.empty()
            .with(send(1, "a"))
            .with(journey(5, "sendlog-journey-one"))
            .with(send(3, "b"))
            .with(journey(2, "sendlog-journey-two"));

    assertThat(log.entries())
        .containsExactly(
            send(1, "a"),
            journey(2, "sendlog-journey-two"),
            send(3, "b"),
            journey(5, "sendlog-journey-one"));
    assertThat(log.prunedBefore(4).entries())
        .containsExactly(journey(2, "sendlog-journey-two"), journey(5, "sendlog-journey-one"));
    assertThat(SendLog.fromBytes(log.toBytes())).isEqualTo(log);
    assertThat(log.without(journey(5, "sendlog-journey-two"))).as("wrong second").isSameAs(log);
    assertThat(log.without(journey(2, "sendlog-journey-two")).entries())
        .containsExactly(send(1, "a"), send(3, "b"), journey(5, "sendlog-journey-one"));
    assertThat(log.vocabulary().labels.existingId("sendlog-journey-one")).isEqualTo(-1);
    assertThat(log.vocabulary().labels.existingId("sendlog-journey-two")).isEqualTo(-1);
  }

  @Test
  void aLogWhoseJourneysAreGoneEqualsOneThatNeverHadAny() {
    SendLog plain = SendLog.empty().with(send(1, "a")).with(send(3, "b"));
    SendLog left = plain.with(journey(2, "j")).without(journey(2, "j"));

    assertThat(left).isEqualTo(plain).hasSameHashCodeAs(plain);
    assertThat(left.compact()).isInstanceOf(long[].class);
    assertThat(plain.with(journey(2, "j")).compact()).isInstanceOf(SendLog.class);
    assertThat(SendLog.fromCompact(plain.with(journey(2, "j")).compact(), plain.vocabulary()))
        .isEqualTo(plain.with(journey(2, "j")));
  }

  @Test
  void unsortedBytesAreSortedWithTheirJourneyIds() {
    SendLog unsorted = SendLog.of(List.of(journey(9, "late"), send(1, "a")));
    assertThat(unsorted.entries()).containsExactly(send(1, "a"), journey(9, "late"));
    // toBytes of a sorted log, then its two entries swapped by writing them in reverse order
    SendLog reversed =
        SendLog.fromBytes(
            concat(
                SendLog.of(List.of(journey(9, "late"))).toBytes(),
                SendLog.of(List.of(send(1, "a"))).toBytes()));
    assertThat(reversed).isEqualTo(unsorted);
  }

  /** One format-1 log holding the entries of two one-entry logs, in the order given. */
  private static byte[] concat(byte[] first, byte[] second) {
    int header = 5;
    byte[] out = new byte[first.length + second.length - header];
    System.arraycopy(first, 0, out, 0, first.length);
    System.arraycopy(second, header, out, first.length, second.length - header);
    out[4] = 2; // entry count, big-endian int at bytes 1..4
    return out;
  }

  @Test
  void anUnknownFormatIsRefused() {
    assertThatThrownBy(() -> SendLog.fromBytes(new byte[] {9, 0, 0, 0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void pruningAndAppendingInOneCopyEqualsDoingBothInTurn() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 2_000; round++) {
      java.util.List<LedgerEntry> entries = new java.util.ArrayList<>();
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        long at = random.nextInt(20);
        entries.add(
            random.nextInt(10) == 0
                ? new LedgerEntry(LedgerEntry.Type.JOURNEY, at, null, null, "j" + i, null)
                : random.nextBoolean() ? send(at, "c" + random.nextInt(3)) : activity(at, "a"));
      }
      SendLog log = SendLog.of(entries);
      long cutoff = random.nextInt(22) - 1;
      long second = random.nextInt(22) - 1;
      Vocabulary v = log.vocabulary() != null ? log.vocabulary() : new Vocabulary();
      long meta =
          SendLog.meta(
              LedgerEntry.Type.SEND,
              MessageKind.PROMOTIONAL,
              Channel.EMAIL,
              v.labels.id("c1"),
              v.teams.id("marketing"));
      assertThat(log.prunedWithPacked(cutoff, second, meta, v))
          .as("%s pruned before %s with a send at %s", log, cutoff, second)
          .isEqualTo(log.prunedBefore(cutoff).withPacked(second, meta, v));
    }
  }

  @Test
  void logsOfTwoVocabulariesAreEqualByNameAndBindToEitherUnchanged() {
    SendLog one = SendLog.of(List.of(send(1, "a"), send(2, "b"), journey(3, "j")));
    SendLog two = SendLog.of(List.of(send(1, "b"))).with(send(1, "a")).with(send(2, "b"));
    two = two.without(send(1, "b")).with(journey(3, "j"));

    assertThat(one.vocabulary()).isNotSameAs(two.vocabulary());
    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    SendLog bound = one.in(two.vocabulary());
    assertThat(bound.vocabulary()).isSameAs(two.vocabulary());
    assertThat(bound).isEqualTo(one);
    assertThat(bound.entries()).isEqualTo(one.entries());
    assertThat(one.in(one.vocabulary())).isSameAs(one);
    assertThat(SendLog.fromBytes(one.toBytes())).isEqualTo(two);
  }
}
