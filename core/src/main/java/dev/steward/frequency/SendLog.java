package dev.steward.frequency;

import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
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
 */
public final class SendLog {
  private static final long[] NONE = new long[0];
  private static final SendLog EMPTY = new SendLog(NONE);
  private static final byte FORMAT = 1;
  private static final MessageKind[] KINDS = MessageKind.values();
  private static final Channel[] CHANNELS = Channel.values();
  private static final LedgerEntry.Type[] TYPES = LedgerEntry.Type.values();

  static final int MAX_LABEL_ID = 1 << 28;
  static final int TYPE_MASK = 0x3;
  static final int KIND_SHIFT = 2;
  static final int CHANNEL_SHIFT = 5;
  static final int LABEL_SHIFT = 8;
  static final int TEAM_SHIFT = 36;

  /** Pairs of (epoch second, meta), ordered by epoch second; never mutated once published. */
  private final long[] data;

  private SendLog(long[] data) {
    this.data = data;
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
    for (int i = 0; i < sorted.size(); i++) {
      d[2 * i] = sorted.get(i).epochSecond();
      d[2 * i + 1] = meta(sorted.get(i));
    }
    return new SendLog(d);
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
    return withPacked(entry.epochSecond(), meta(entry));
  }

  /** This log without the newest entry equal to {@code entry}; this log if there is none. */
  public SendLog without(LedgerEntry entry) {
    return withoutPacked(entry.epochSecond(), meta(entry));
  }

  /** This log without sends and activities older than {@code epochSecond}; journeys stay. */
  public SendLog prunedBefore(long epochSecond) {
    int keep = 0;
    int n = size();
    for (int i = 0; i < n; i++) {
      if (data[2 * i] >= epochSecond || type(data[2 * i + 1]) == LedgerEntry.Type.JOURNEY.ordinal()) {
        keep++;
      }
    }
    if (keep == n) {
      return this;
    }
    if (keep == 0) {
      return EMPTY;
    }
    long[] d = new long[keep * 2];
    int j = 0;
    for (int i = 0; i < n; i++) {
      if (data[2 * i] >= epochSecond || type(data[2 * i + 1]) == LedgerEntry.Type.JOURNEY.ordinal()) {
        d[j++] = data[2 * i];
        d[j++] = data[2 * i + 1];
      }
    }
    return new SendLog(d);
  }

  // ---- packed access for the limiter and the in-memory store (package-private) ----

  /** A log over {@code packed}, which must be pairs in time order and is not copied. */
  static SendLog wrap(long[] packed) {
    return packed == null || packed.length == 0 ? EMPTY : new SendLog(packed);
  }

  /** The packed pairs; callers must not change them. */
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
    int team = (int) ((m >>> TEAM_SHIFT) & 0xFFFFFF);
    return new LedgerEntry(
        TYPES[type(m)],
        data[2 * i],
        kind == 0 ? null : KINDS[kind - 1],
        channel == 0 ? null : CHANNELS[channel - 1],
        Interner.name(label(m)),
        team == 0 ? null : Interner.name(team - 1));
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

  static long meta(LedgerEntry e) {
    return meta(
        e.type(),
        e.kind(),
        e.channel(),
        Interner.id(e.label()),
        e.team() == null ? -1 : Interner.id(e.team()));
  }

  static long meta(
      LedgerEntry.Type type, MessageKind kind, Channel channel, int labelId, int teamId) {
    if (teamId + 1 > 0xFFFFFF) {
      throw new IllegalStateException("too many distinct teams in send logs");
    }
    return type.ordinal()
        | (long) (kind == null ? 0 : kind.ordinal() + 1) << KIND_SHIFT
        | (long) (channel == null ? 0 : channel.ordinal() + 1) << CHANNEL_SHIFT
        | (long) labelId << LABEL_SHIFT
        | (long) (teamId + 1) << TEAM_SHIFT;
  }

  SendLog withPacked(long second, long meta) {
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
    return new SendLog(d);
  }

  SendLog withoutPacked(long second, long meta) {
    for (int i = size() - 1; i >= 0; i--) {
      if (data[2 * i] == second && data[2 * i + 1] == meta) {
        return withoutIndex(i);
      }
    }
    return this;
  }

  SendLog withoutIndex(int i) {
    if (data.length == 2) {
      return EMPTY;
    }
    long[] d = new long[data.length - 2];
    System.arraycopy(data, 0, d, 0, 2 * i);
    System.arraycopy(data, 2 * i + 2, d, 2 * i, data.length - 2 * i - 2);
    return new SendLog(d);
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
        out.writeUTF(Interner.name(label(m)));
        out.writeUTF(team < 0 ? "" : Interner.name(team));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads the form written by {@link #toBytes()}. */
  public static SendLog fromBytes(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return EMPTY;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown send log format " + format);
      }
      int n = in.readInt();
      if (n == 0) {
        return EMPTY;
      }
      long[] d = new long[2 * n];
      long previous = Long.MIN_VALUE;
      boolean sorted = true;
      for (int i = 0; i < n; i++) {
        LedgerEntry.Type type = TYPES[in.readByte()];
        long sec = in.readLong();
        byte kind = in.readByte();
        byte channel = in.readByte();
        String label = in.readUTF();
        String team = in.readUTF();
        d[2 * i] = sec;
        d[2 * i + 1] =
            meta(
                type,
                kind < 0 ? null : KINDS[kind],
                channel < 0 ? null : CHANNELS[channel],
                Interner.id(label),
                team.isEmpty() ? -1 : Interner.id(team));
        sorted &= sec >= previous;
        previous = sec;
      }
      SendLog log = new SendLog(d);
      return sorted ? log : of(log.entries());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendLog other && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "SendLog" + entries();
  }
}
