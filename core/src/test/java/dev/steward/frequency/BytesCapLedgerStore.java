package dev.steward.frequency;

import dev.steward.model.MessageKind;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A store that keeps logs only as bytes, as the JDBC store does: every read decodes them, so the
 * limiter sees what an instance that did not write them (or a restarted one) would see.
 */
final class BytesCapLedgerStore implements CapLedgerStore {
  final Map<String, byte[]> rows = new HashMap<>();

  @Override
  public synchronized <R> R update(
      List<SubjectKey> subjects, Function<List<SendLog>, LedgerChange<R>> change) {
    LedgerChange<R> c = change.apply(read(subjects));
    if (c.newLogs() != null) {
      for (int i = 0; i < subjects.size(); i++) {
        rows.put(subjects.get(i).toString(), c.newLogs().get(i).toBytes());
      }
    }
    return c.result();
  }

  @Override
  public synchronized List<SendLog> read(List<SubjectKey> subjects) {
    List<SendLog> out = new ArrayList<>();
    for (SubjectKey k : subjects) {
      out.add(SendLog.fromBytes(rows.get(k.toString())));
    }
    return out;
  }

  @Override
  public synchronized boolean erase(SubjectKey subject) {
    return rows.remove(subject.toString()) != null;
  }

  @Override
  public synchronized int eraseTenant(dev.steward.model.TenantId tenant) {
    int before = rows.size();
    rows.keySet().removeIf(k -> k.startsWith(tenant.value() + "/"));
    return before - rows.size();
  }

  /**
   * Format-1 bytes of a journey admission, as the removed {@code admitJourney} stored it (entry
   * type 2), written by hand: no code writes one any more.
   */
  static byte[] journeyRow(long second, String journeyId) {
    return row(SendLog.STORED_JOURNEY, second, -1, -1, journeyId, "");
  }

  /** Format-1 bytes of an email send, written by hand as another instance would have. */
  static byte[] sendRow(long second, MessageKind kind, String category, String team) {
    return row(LedgerEntry.Type.SEND.ordinal(), second, kind.ordinal(), 0, category, team);
  }

  /**
   * Format-1 bytes of one log holding the entries of one-entry {@code rows}, in the order given.
   */
  static byte[] rows(byte[]... rows) {
    int header = 5; // the format byte, then the entry count as a big-endian int
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(1);
    bytes.write(0);
    bytes.write(0);
    bytes.write(0);
    bytes.write(rows.length); // fewer than 128 in these tests
    for (byte[] row : rows) {
      bytes.write(row, header, row.length - header);
    }
    return bytes.toByteArray();
  }

  private static byte[] row(
      int type, long second, int kind, int channel, String label, String team) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeInt(1);
      out.writeByte(type);
      out.writeLong(second);
      out.writeByte(kind);
      out.writeByte(channel);
      out.writeUTF(label);
      out.writeUTF(team);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
