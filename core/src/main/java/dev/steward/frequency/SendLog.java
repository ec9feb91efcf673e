package dev.steward.frequency;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The immutable log of one subject: its entries in time order. Stores keep it opaque, as the bytes
 * of {@link #toBytes()}.
 */
public final class SendLog {
  private static final SendLog EMPTY = new SendLog(List.of());
  private static final byte FORMAT = 1;

  private final List<LedgerEntry> entries;

  private SendLog(List<LedgerEntry> entries) {
    this.entries = entries;
  }

  public static SendLog empty() {
    return EMPTY;
  }

  public static SendLog of(List<LedgerEntry> entries) {
    List<LedgerEntry> sorted = new ArrayList<>(entries);
    sorted.sort((a, b) -> Long.compare(a.epochSecond(), b.epochSecond()));
    return sorted.isEmpty() ? EMPTY : new SendLog(Collections.unmodifiableList(sorted));
  }

  public List<LedgerEntry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  public int size() {
    return entries.size();
  }

  /** This log with one more entry, kept in time order. */
  public SendLog with(LedgerEntry entry) {
    List<LedgerEntry> next = new ArrayList<>(entries.size() + 1);
    int i = entries.size();
    while (i > 0 && entries.get(i - 1).epochSecond() > entry.epochSecond()) {
      i--;
    }
    next.addAll(entries.subList(0, i));
    next.add(entry);
    next.addAll(entries.subList(i, entries.size()));
    return new SendLog(Collections.unmodifiableList(next));
  }

  /** This log without the newest entry equal to {@code entry}; this log if there is none. */
  public SendLog without(LedgerEntry entry) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (entries.get(i).equals(entry)) {
        List<LedgerEntry> next = new ArrayList<>(entries);
        next.remove(i);
        return next.isEmpty() ? EMPTY : new SendLog(Collections.unmodifiableList(next));
      }
    }
    return this;
  }

  /** This log without sends and activities older than {@code epochSecond}; journeys stay. */
  public SendLog prunedBefore(long epochSecond) {
    List<LedgerEntry> next = new ArrayList<>(entries.size());
    for (LedgerEntry e : entries) {
      if (e.type() == LedgerEntry.Type.JOURNEY || e.epochSecond() >= epochSecond) {
        next.add(e);
      }
    }
    return next.size() == entries.size() ? this : SendLog.of(next);
  }

  /** A compact binary form for stores. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 + entries.size() * 24);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT);
      out.writeInt(entries.size());
      for (LedgerEntry e : entries) {
        out.writeByte(e.type().ordinal());
        out.writeLong(e.epochSecond());
        out.writeByte(e.kind() == null ? -1 : e.kind().ordinal());
        out.writeByte(e.channel() == null ? -1 : e.channel().ordinal());
        out.writeUTF(e.label());
        out.writeUTF(e.team() == null ? "" : e.team());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Reads the form written by {@link #toBytes()}. */
  public static SendLog fromBytes(byte[] data) {
    if (data == null || data.length == 0) {
      return EMPTY;
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
      byte format = in.readByte();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown send log format " + format);
      }
      int n = in.readInt();
      List<LedgerEntry> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        LedgerEntry.Type type = LedgerEntry.Type.values()[in.readByte()];
        long sec = in.readLong();
        byte kind = in.readByte();
        byte channel = in.readByte();
        String label = in.readUTF();
        String team = in.readUTF();
        list.add(
            new LedgerEntry(
                type,
                sec,
                kind < 0 ? null : dev.steward.model.MessageKind.values()[kind],
                channel < 0 ? null : dev.steward.model.Channel.values()[channel],
                label,
                team.isEmpty() ? null : team));
      }
      return list.isEmpty() ? EMPTY : new SendLog(Collections.unmodifiableList(list));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SendLog other && entries.equals(other.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return "SendLog" + entries;
  }
}
