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

  /** Format-1 bytes of a journey admission as the removed admitJourney stored it. */
  private static byte[] storedJourney(long at, String id) {
    return BytesCapLedgerStore.journeyRow(at, id);
  }

  @Test
  void entriesStayInTimeOrderAndSurviveTheByteForm() {
    SendLog log =
        SendLog.empty()
            .with(send(30, "news"))
            .with(activity(10, "ticket-closed"))
            .with(activity(20, "renewal-signed"))
            .with(send(-5, "tips"))
            .with(send(30, "offers"));

    assertThat(log.entries())
        .containsExactly(
            send(-5, "tips"),
            activity(10, "ticket-closed"),
            activity(20, "renewal-signed"),
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
  void pruningKeepsTheRecentEntriesOfEveryType() {
    SendLog log =
        SendLog.empty()
            .with(send(1, "a"))
            .with(activity(2, "y"))
            .with(activity(3, "x"))
            .with(send(9, "b"));
    assertThat(log.prunedBefore(3).entries()).containsExactly(activity(3, "x"), send(9, "b"));
    assertThat(log.prunedBefore(10)).isEqualTo(SendLog.empty());
    assertThat(log.prunedBefore(0)).isSameAs(log);
    assertThat(log.prunedBefore(1)).isSameAs(log);
  }

  @Test
  void aLogIsIdleSinceItsNewestEntryOfAnyType() {
    assertThat(SendLog.empty().idleSince()).isEqualTo(Long.MIN_VALUE);
    assertThat(SendLog.of(List.of(send(9, "a"), activity(4, "x"))).idleSince()).isEqualTo(9);
    assertThat(SendLog.of(List.of(send(3, "a"), activity(7, "x"))).idleSince()).isEqualTo(7);
  }

  @Test
  void aStoredJourneyAdmissionIsDroppedOnReadAndIsGoneFromTheNextBytes() {
    byte[] stored =
        BytesCapLedgerStore.rows(
            SendLog.of(List.of(send(1, "a"))).toBytes(),
            storedJourney(5, "sendlog-journey-one"),
            SendLog.of(List.of(activity(3, "x"))).toBytes(),
            storedJourney(9, "sendlog-journey-two"));

    SendLog read = SendLog.fromBytes(stored);

    assertThat(read.entries()).containsExactly(send(1, "a"), activity(3, "x"));
    assertThat(read).isEqualTo(SendLog.of(List.of(send(1, "a"), activity(3, "x"))));
    // idle from its newest send or activity: the admission at second 9 counts for nothing
    assertThat(read.idleSince()).isEqualTo(3);
    assertThat(read.vocabulary().labels.existingId("sendlog-journey-one")).isEqualTo(-1);
    byte[] next = read.with(send(4, "b")).toBytes();
    assertThat(new String(next, java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("sendlog-journey");
    assertThat(SendLog.fromBytes(next).entries())
        .containsExactly(send(1, "a"), activity(3, "x"), send(4, "b"));
  }

  @Test
  void aStoredLogOfAdmissionsAloneReadsEmpty() {
    SendLog read =
        SendLog.fromBytes(
            BytesCapLedgerStore.rows(storedJourney(5, "one"), storedJourney(2, "two")));
    assertThat(read).isSameAs(SendLog.empty());
    assertThat(read.idleSince()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void thePackedArrayIsTheLogTheInMemoryStoreKeeps() {
    SendLog log = SendLog.empty().with(send(1, "a")).with(send(3, "b"));
    assertThat(log.packed()).hasSize(4);
    assertThat(SendLog.wrap(log.packed(), log.vocabulary())).isEqualTo(log);
    assertThat(SendLog.wrap(null, log.vocabulary())).isSameAs(SendLog.empty());
    assertThat(SendLog.empty().packed()).isEmpty();
  }

  @Test
  void unsortedBytesAreSorted() {
    SendLog unsorted = SendLog.of(List.of(activity(9, "late"), send(1, "a")));
    assertThat(unsorted.entries()).containsExactly(send(1, "a"), activity(9, "late"));
    // toBytes of a sorted log, then its two entries swapped by writing them in reverse order
    SendLog reversed =
        SendLog.fromBytes(
            concat(
                SendLog.of(List.of(activity(9, "late"))).toBytes(),
                SendLog.of(List.of(send(1, "a"))).toBytes()));
    assertThat(reversed).isEqualTo(unsorted);
    // unsorted around a stored admission that is dropped
    assertThat(
            SendLog.fromBytes(
                BytesCapLedgerStore.rows(
                    SendLog.of(List.of(activity(9, "late"))).toBytes(),
                    storedJourney(5, "j"),
                    SendLog.of(List.of(send(1, "a"))).toBytes())))
        .isEqualTo(unsorted);
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
        .isInstanceOf(CorruptSendLogException.class)
        .hasMessageContaining("format 9");
  }

  @Test
  void anUnknownEntryTypeIsRefused() {
    byte[] bytes = SendLog.of(List.of(send(1, "a"))).toBytes();
    bytes[5] = 3; // the type byte of the first entry, after the format byte and the count
    assertThatThrownBy(() -> SendLog.fromBytes(bytes))
        .isInstanceOf(CorruptSendLogException.class)
        .hasMessageContaining("entry type 3");
  }

  /** The offset of the first entry's kind byte: format, count, type, epoch second. */
  private static final int KIND_BYTE = 1 + 4 + 1 + 8;

  /**
   * jlog: a kind or channel byte out of range threw {@link ArrayIndexOutOfBoundsException} (or, for
   * a negative one other than -1, was read as no kind at all).
   */
  @Test
  void anOutOfRangeKindOrChannelByteIsRefusedNamingIt() {
    byte[] good = SendLog.of(List.of(send(1, "a"))).toBytes();
    for (byte bad : new byte[] {(byte) MessageKind.values().length, 99, -2, Byte.MIN_VALUE}) {
      byte[] bytes = good.clone();
      bytes[KIND_BYTE] = bad;
      assertThatThrownBy(() -> SendLog.fromBytes(bytes))
          .as("kind byte %d", bad)
          .isInstanceOf(CorruptSendLogException.class)
          .hasMessageContaining("entry 0")
          .hasMessageContaining("kind byte " + bad);
    }
    for (byte bad : new byte[] {(byte) Channel.values().length, 42, -3}) {
      byte[] bytes = good.clone();
      bytes[KIND_BYTE + 1] = bad;
      assertThatThrownBy(() -> SendLog.fromBytes(bytes))
          .as("channel byte %d", bad)
          .isInstanceOf(CorruptSendLogException.class)
          .hasMessageContaining("channel byte " + bad);
    }
    // -1 is no kind and no channel, as an activity stores them
    byte[] none = SendLog.of(List.of(activity(1, "x"))).toBytes();
    assertThat(none[KIND_BYTE]).isEqualTo((byte) -1);
    assertThat(none[KIND_BYTE + 1]).isEqualTo((byte) -1);
    assertThat(SendLog.fromBytes(none).entries()).containsExactly(activity(1, "x"));
  }

  @Test
  void aCountTheBytesCannotHoldIsRefusedBeforeAnythingIsMade() {
    byte[] good = SendLog.of(List.of(send(1, "a"))).toBytes();
    for (int count : new int[] {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 2}) {
      byte[] bytes = good.clone();
      java.nio.ByteBuffer.wrap(bytes, 1, 4).putInt(count); // the count, after the format byte
      assertThatThrownBy(() -> SendLog.fromBytes(bytes))
          .as("count %d", count)
          .isInstanceOf(CorruptSendLogException.class)
          .hasMessageContaining("counts " + count + " entries");
    }
  }

  @Test
  void bytesThatEndEarlyAreRefused() {
    byte[] good = SendLog.of(List.of(send(1, "a"), send(2, "b"))).toBytes();
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
    assertThatThrownBy(() -> SendLog.fromBytes(cut))
        .isInstanceOf(CorruptSendLogException.class)
        .hasMessageContaining("end early");
  }

  /**
   * jlog: removing an entry the log cannot hold (its label or team never seen) interned the names
   * into the vocabulary, which the limiter shares across logs and which is bounded.
   */
  @Test
  void withoutAnEntryOfUnknownNamesAddsNothingToTheVocabulary() {
    SendLog log = SendLog.empty().with(send(1, "news"));
    int labels = log.vocabulary().labels.size();
    int teams = log.vocabulary().teams.size();

    assertThat(log.without(send(1, "never-seen"))).isSameAs(log);
    assertThat(
            log.without(
                new LedgerEntry(
                    LedgerEntry.Type.SEND,
                    1,
                    MessageKind.EDUCATIONAL,
                    Channel.SMS,
                    "news",
                    "unknown-team")))
        .isSameAs(log);
    assertThat(log.vocabulary().labels.size()).isEqualTo(labels);
    assertThat(log.vocabulary().teams.size()).isEqualTo(teams);
    assertThat(log.without(send(1, "news"))).isSameAs(SendLog.empty());
  }

  @Test
  void pruningAndAppendingInOneCopyEqualsDoingBothInTurn() {
    java.util.Random random = new java.util.Random(11);
    for (int round = 0; round < 2_000; round++) {
      java.util.List<LedgerEntry> entries = new java.util.ArrayList<>();
      int n = random.nextInt(8);
      for (int i = 0; i < n; i++) {
        long at = random.nextInt(20);
        entries.add(random.nextBoolean() ? send(at, "c" + random.nextInt(3)) : activity(at, "a"));
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
    SendLog one = SendLog.of(List.of(send(1, "a"), send(2, "b"), activity(3, "j")));
    SendLog two = SendLog.of(List.of(send(1, "b"))).with(send(1, "a")).with(send(2, "b"));
    two = two.without(send(1, "b")).with(activity(3, "j"));

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
