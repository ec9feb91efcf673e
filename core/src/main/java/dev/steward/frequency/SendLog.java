package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The immutable log of one subject: its entries in time order. Stores keep it opaque, as the bytes
 * of {@link #toBytes()}.
 *
 * <p>In memory a log is one packed {@code long[]}, two longs per entry (the epoch second, then the
 * type, kind, channel and interned label and team), so a recorded send costs 16 bytes of heap and
 * the limiter counts a window without allocating.
 *
 * <p>Logs stored before journey enrolment moved to the journey scheduler may hold journey
 * admissions (entry type 2 of the byte form). Nothing counts them any more: {@link #fromBytes}
 * drops them, so a log's idleness is that of its sends and activities, and the next write stores it
 * without them.
 *
 * <p>The ints of labels and teams belong to a {@link Vocabulary}, which the log carries: a log read
 * from bytes or built from entries has one of its own, and a limiter binds it to its own ({@link
 * #in}) before counting, so no id space is shared across limiters or the process. Two logs are
 * equal when they hold the same entries by name, whatever their vocabularies.
 */
public final class SendLog {
  private static final long[] NONE = new long[0];
  private static final SendLog EMPTY = new SendLog(NONE, null);
  private static final byte FORMAT = 1;

  /** The byte form's header: the format byte and the entry count. */
  private static final int HEADER_BYTES = 1 + 4;

  /** The shortest entry of the byte form: type, epoch second, kind, channel, two empty texts. */
  private static final int MIN_ENTRY_BYTES = 1 + 8 + 1 + 1 + 2 + 2;

  private static final MessageKind[] KINDS = MessageKind.values();
  private static final Channel[] CHANNELS = Channel.values();
  private static final LedgerEntry.Type[] TYPES = LedgerEntry.Type.values();

  static final int MAX_LABEL_ID = 1 << 28;
  static final int MAX_TEAM_ID = 0xFFFFFF; // ids 0..0xFFFFFE: the field holds id + 1, 0 is no team

  /**
   * The type byte of a journey admission in logs stored before its removal; dropped when read. A
   * type of its own for ever: no new entry type may take it.
   */
  static final byte STORED_JOURNEY = 2;

  static final int TYPE_MASK = 0x3;
  static final int KIND_SHIFT = 2;
  static final int CHANNEL_SHIFT = 5;
  static final int LABEL_SHIFT = 8;
  static final int TEAM_SHIFT = 36;

  /** Pairs of (epoch second, meta), ordered by epoch second; never mutated once published. */
  private final long[] data;

  /** The names of the labels and teams in {@link #data}; null for the empty log. */
  private final Vocabulary vocabulary;

  private SendLog(long[] data, Vocabulary vocabulary) {
    this.data = data;
    this.vocabulary = vocabulary;
  }

  /** The log with no entries. */
  public static SendLog empty() {
    return EMPTY;
  }

  /** A log holding {@code entries}, sorted by time (stable for equal times). */
  public static SendLog of(List<LedgerEntry> entries) {
    List<LedgerEntry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> Long.compare(a.epochSecond(), b.epochSecond()));
    if (sorted.isEmpty()) {
      return EMPTY;
    }
    long[] d = new long[sorted.size() * 2];
    Vocabulary v = new Vocabulary();
    for (int i = 0; i < sorted.size(); i++) {
      LedgerEntry e = sorted.get(i);
      d[2 * i] = e.epochSecond();
      d[2 * i + 1] = meta(e, v);
    }
    return new SendLog(d, v);
  }

  /** The entries, oldest first (built on each call; the limiter reads the packed form instead). */
  public List<LedgerEntry> entries() {
    List<LedgerEntry> list = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      list.add(entry(i));
    }
    return Collections.unmodifiableList(list);
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  public int size() {
    return data.length >> 1;
  }

  /** This log with one more entry, kept in time order (after entries of the same second). */
  public SendLog with(LedgerEntry entry) {
    Vocabulary v = vocabulary != null ? vocabulary : new Vocabulary();
    return inserted(entry.epochSecond(), meta(entry, v), v);
  }

  /**
   * This log without the newest entry equal to {@code entry}; this log if there is none. Names the
   * log's vocabulary does not hold are not added to it (no entry of this log can have them).
   */
  public SendLog without(LedgerEntry entry) {
    if (vocabulary == null) {
      return this; // no entry to remove
    }
    int label = vocabulary.labels.existingId(entry.label());
    int team = entry.team() == null ? -1 : vocabulary.teams.existingId(entry.team());
    if (label < 0 || (entry.team() != null && team < 0)) {
      return this; // jlog: a name never seen is in no entry, and is not interned
    }
    return withoutPacked(
        entry.epochSecond(), meta(entry.type(), entry.kind(), entry.channel(), label, team));
  }

  /** This log without the entries older than {@code epochSecond}. */
  public SendLog prunedBefore(long epochSecond) {
    int n = size();
    int first = 0;
    while (first < n && data[2 * first] < epochSecond) {
      first++; // entries are in time order: those to prune are a prefix
    }
    if (first == 0) {
      return this;
    }
    if (first == n) {
      return EMPTY;
    }
    return new SendLog(Arrays.copyOfRange(data, 2 * first, data.length), vocabulary);
  }

  /**
   * The epoch second from which this log is idle, for retention: that of its newest entry, or
   * {@link Long#MIN_VALUE} for the empty log.
   */
  public long idleSince() {
    return data.length == 0 ? Long.MIN_VALUE : data[data.length - 2];
  }

  // ---- packed access for the limiter and the in-memory store (package-private) ----

  /**
   * A log over {@code packed}, which must be pairs in time order whose ids are {@code
   * vocabulary}'s, and is not copied.
   */
  static SendLog wrap(long[] packed, Vocabulary vocabulary) {
    return packed == null || packed.length == 0 ? EMPTY : new SendLog(packed, vocabulary);
  }

  /** The vocabulary of this log's ids, or null for an empty log that never had one. */
  Vocabulary vocabulary() {
    return vocabulary;
  }

  /**
   * This log with its ids in {@code target}: itself when they are already (or it has none), else a
   * copy with every label and team looked up by name. How a limiter binds a log read from a store.
   */
  SendLog in(Vocabulary target) {
    Vocabulary from = vocabulary;
    if (from == null || from == target) {
      return this;
    }
    long[] d = data.clone();
    for (int i = 0; i < size(); i++) {
      long m = d[2 * i + 1];
      int team = team(m);
      d[2 * i + 1] =
          meta(
              TYPES[type(m)],
              kindOrdinal(m) < 0 ? null : KINDS[kindOrdinal(m)],
              channelOrdinal(m) < 0 ? null : CHANNELS[channelOrdinal(m)],
              target.labels.id(from.labels.name(label(m))),
              team < 0 ? -1 : target.teams.id(from.teams.name(team)));
    }
    return new SendLog(d, target);
  }

  /**
   * The form in which the in-memory store keeps this log: its packed array, not copied ({@link
   * #wrap} reverses it). Empty for the empty log.
   */
  long[] packed() {
    return data;
  }

  long second(int i) {
    return data[2 * i];
  }

  long meta(int i) {
    return data[2 * i + 1];
  }

  LedgerEntry entry(int i) {
    long m = data[2 * i + 1];
    int kind = (int) ((m >>> KIND_SHIFT) & 0x7);
    int channel = (int) ((m >>> CHANNEL_SHIFT) & 0x7);
    int team = team(m);
    return new LedgerEntry(
        TYPES[type(m)],
        data[2 * i],
        kind == 0 ? null : KINDS[kind - 1],
        channel == 0 ? null : CHANNELS[channel - 1],
        labelName(i),
        team < 0 ? null : vocabulary.teams.name(team));
  }

  private String labelName(int i) {
    return vocabulary.labels.name(label(data[2 * i + 1]));
  }

  static int type(long meta) {
    return (int) (meta & TYPE_MASK);
  }

  static int kindOrdinal(long meta) {
    return (int) ((meta >>> KIND_SHIFT) & 0x7) - 1;
  }

  static int channelOrdinal(long meta) {
    return (int) ((meta >>> CHANNEL_SHIFT) & 0x7) - 1;
  }

  static int label(long meta) {
    return (int) ((meta >>> LABEL_SHIFT) & (MAX_LABEL_ID - 1));
  }

  static int team(long meta) {
    return (int) ((meta >>> TEAM_SHIFT) & 0xFFFFFF) - 1;
  }

  /** The meta of an entry in {@code v}. */
  static long meta(LedgerEntry e, Vocabulary v) {
    return meta(
        e.type(),
        e.kind(),
        e.channel(),
        v.labels.id(e.label()),
        e.team() == null ? -1 : v.teams.id(e.team()));
  }

  static long meta(
      LedgerEntry.Type type, MessageKind kind, Channel channel, int labelId, int teamId) {
    return type.ordinal()
        | (long) (kind == null ? 0 : kind.ordinal() + 1) << KIND_SHIFT
        | (long) (channel == null ? 0 : channel.ordinal() + 1) << CHANNEL_SHIFT
        | (long) labelId << LABEL_SHIFT
        | (long) (teamId + 1) << TEAM_SHIFT;
  }

  /**
   * This log with a SEND or ACTIVITY entry, after the entries of the same second; {@code meta}'s
   * ids are in {@code v}, which this log's must be too (the limiter binds logs first).
   */
  SendLog withPacked(long second, long meta, Vocabulary v) {
    return inserted(second, meta, v);
  }

  /**
   * As {@code prunedBefore(cutoff).withPacked(second, meta)}, in one copy: the entries to prune are
   * exactly the oldest ones, a prefix of the time-ordered log.
   */
  SendLog prunedWithPacked(long cutoff, long second, long meta, Vocabulary v) {
    int n = size();
    int first = 0;
    while (first < n && data[2 * first] < cutoff) {
      first++;
    }
    int at = n;
    while (at > first && data[2 * (at - 1)] > second) {
      at--;
    }
    long[] d = new long[2 * (n - first) + 2];
    int before = 2 * (at - first);
    System.arraycopy(data, 2 * first, d, 0, before);
    d[before] = second;
    d[before + 1] = meta;
    System.arraycopy(data, 2 * at, d, before + 2, 2 * (n - at));
    return new SendLog(d, v);
  }

  private SendLog inserted(long second, long meta, Vocabulary v) {
    int n = size();
    int i = n;
    while (i > 0 && data[2 * (i - 1)] > second) {
      i--;
    }
    long[] d = new long[data.length + 2];
    System.arraycopy(data, 0, d, 0, 2 * i);
    d[2 * i] = second;
    d[2 * i + 1] = meta;
    System.arraycopy(data, 2 * i, d, 2 * i + 2, data.length - 2 * i);
    return new SendLog(d, v);
  }

  /** True if the log holds an entry of exactly this second and meta. */
  boolean containsPacked(long second, long meta) {
    for (int i = size() - 1; i >= 0; i--) {
      long e = data[2 * i];
      if (e < second) {
        return false; // entries are in time order: none older can match
      }
      if (e == second && data[2 * i + 1] == meta) {
        return true;
      }
    }
    return false;
  }

  /** This log without the newest entry of exactly this second and meta. */
  SendLog withoutPacked(long second, long meta) {
    for (int i = size() - 1; i >= 0; i--) {
      if (data[2 * i] == second && data[2 * i + 1] == meta) {
        return withoutIndex(i);
      }
    }
    return this;
  }

  SendLog withoutIndex(int i) {
    int n = size();
    if (n == 1) {
      return EMPTY;
    }
    long[] d = new long[data.length - 2];
    System.arraycopy(data, 0, d, 0, 2 * i);
    System.arraycopy(data, 2 * i + 2, d, 2 * i, data.length - 2 * i - 2);
    return new SendLog(d, vocabulary);
  }

  /** A compact binary form for stores. */
  public byte[] toBytes() {
    int n = size();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + n * 24);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(n);
      for (int i = 0; i < n; i++) {
        long m = data[2 * i + 1];
        int team = team(m);
        out.writeByte(type(m));
        out.writeLong(data[2 * i]);
        out.writeByte(kindOrdinal(m));
        out.writeByte(channelOrdinal(m));
        out.writeUTF(labelName(i));
        out.writeUTF(team < 0 ? "" : vocabulary.teams.name(team));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads the form written by {@link #toBytes()}. A journey admission stored before their removal
   * is dropped.
   *
   * @throws CorruptSendLogException if the bytes are no send log this version reads: an unknown
   *     format or entry type, a kind or channel byte out of range, or bytes that end early (the
   *     message names which, and the entry)
   */
  public static SendLog fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return EMPTY;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new CorruptSendLogException("unknown send log format " + format);
      }
      int n = in.readInt();
      if (n == 0) {
        return EMPTY;
      }
      if (n < 0 || n > (bytes.length - HEADER_BYTES) / MIN_ENTRY_BYTES) {
        // checked before the array is made: a corrupt count must not allocate gigabytes
        throw new CorruptSendLogException(
            "send log counts "
                + n
                + " entries, which "
                + bytes.length
                + " bytes cannot hold (at least "
                + MIN_ENTRY_BYTES
                + " bytes an entry)");
      }
      long[] d = new long[2 * n];
      Vocabulary v = null;
      long previous = Long.MIN_VALUE;
      boolean sorted = true;
      int kept = 0;
      for (int i = 0; i < n; i++) {
        byte typeByte = in.readByte();
        long sec = in.readLong();
        byte kind = in.readByte();
        byte channel = in.readByte();
        String label = in.readUTF();
        String team = in.readUTF();
        if (typeByte == STORED_JOURNEY) {
          continue; // an admission of the removed admitJourney: it counts for nothing
        }
        if (typeByte < 0 || typeByte >= TYPES.length) {
          throw new CorruptSendLogException(
              "unknown send log entry type " + typeByte + " in entry " + i);
        }
        v = v == null ? new Vocabulary() : v;
        d[2 * kept] = sec;
        d[2 * kept + 1] =
            meta(
                TYPES[typeByte],
                kind == -1 ? null : KINDS[ordinal(kind, KINDS.length, "kind", i)],
                channel == -1 ? null : CHANNELS[ordinal(channel, CHANNELS.length, "channel", i)],
                v.labels.id(label),
                team.isEmpty() ? -1 : v.teams.id(team));
        kept++;
        sorted &= sec >= previous;
        previous = sec;
      }
      if (kept == 0) {
        return EMPTY;
      }
      SendLog log = new SendLog(kept == n ? d : Arrays.copyOf(d, 2 * kept), v);
      return sorted ? log : of(log.entries());
    } catch (EOFException e) {
      throw new CorruptSendLogException(
          "send log bytes end early (" + bytes.length + " bytes) for the entries they count", e);
    } catch (IOException e) {
      // a label or team that is no modified UTF-8 (an array cannot fail otherwise)
      throw new CorruptSendLogException("send log bytes are unreadable: " + e.getMessage(), e);
    }
  }

  /**
   * The ordinal a stored kind or channel byte names, one of {@code count}; refused as corrupt when
   * out of range (-1, none, is read by the caller).
   */
  private static int ordinal(byte stored, int count, String what, int entry) {
    if (stored < 0 || stored >= count) {
      throw new CorruptSendLogException(
          "send log entry "
              + entry
              + " has "
              + what
              + " byte "
              + stored
              + "; known are -1 (none) to "
              + (count - 1));
    }
    return stored;
  }

  /** The same entries by name (the same ids when both logs share a vocabulary). */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof SendLog other) || data.length != other.data.length) {
      return false;
    }
    return vocabulary == other.vocabulary
        ? Arrays.equals(data, other.data)
        : entries().equals(other.entries());
  }

  /** From the entries by name, so that equal logs of two vocabularies hash alike. */
  @Override
  public int hashCode() {
    return entries().hashCode();
  }

  @Override
  public String toString() {
    return "SendLog" + entries();
  }
}
