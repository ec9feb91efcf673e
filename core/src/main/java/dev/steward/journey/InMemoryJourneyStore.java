package dev.steward.journey;

import dev.steward.internal.CompactIds;
import dev.steward.internal.Sized;
import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link JourneyStore} in memory, for one process and tests. Every operation holds the store's
 * lock: simple and, for the sizes one process keeps, fast enough.
 *
 * <p>Most enrolments of a live journey wait, so they are kept compactly: an enrolment is a row of
 * numbers and shared references (its id as two longs when it is a UUID, its times as nanoseconds,
 * its last message by the sequence number of the send when the id follows the journeys' own scheme,
 * its history as shared shapes and the few times they do not imply), filed under its contact; the
 * {@link Enrolment} and {@link HistoryEntry} values are made when read. A change stores what the
 * JDBC store's stores (version, step, seq, state, due and update times, last message, exit reason);
 * the contact, journey and entry time stay as entered.
 */
public final class InMemoryJourneyStore implements JourneyStore {
  private final Map<TenantId, Tenant> tenants = new HashMap<>();
  // every contact in (tenant, contact) order, for paging; null once a contact came or went. It
  // holds the people, not their profiles, so a changed profile needs no new order
  private Person[] byOrder;

  /** The order of {@link #dueBefore}: due time, enrolment id, tenant id. */
  private static final Comparator<Enrolment> DUE_ORDER =
      Comparator.comparing(Enrolment::dueAt)
          .thenComparing(Enrolment::id)
          .thenComparing(e -> e.tenant().value());

  private static final EnrolmentState[] STATES = EnrolmentState.values();
  private static final StepOutcome[] OUTCOMES = StepOutcome.values();
  private static final String[] NO_STRINGS = {};
  private static final long[] NO_LONGS = {};

  /** How many distinct history shapes are shared at most (the rest are kept per entry). */
  static final int SHARED_SHAPES = 4096;

  /** In a history shape, where the enrolment's id stood in the detail. */
  private static final char ID_MARK = '\u0000';

  /** In a history shape, where the instant kept beside the entry stood in the detail. */
  private static final char AT_MARK = '\u0001';

  /** How many entries of a history have flags (two bits each in an int). */
  private static final int FLAGGED = 16;

  /** The flag bits that say "the instant is the row's due time". */
  private static final int DUE_BITS = 0xAAAAAAAA;

  /** In a history shape's first character: the detail is kept as it is, with no marks. */
  private static final char LITERAL = '\u8000';

  private static final class Tenant {
    final TenantId id;
    final Map<ContactId, Person> contacts = new HashMap<>();
    final RowTable enrolments = new RowTable();
    final Map<String, List<MessageSignal>> signals = new HashMap<>();

    Tenant(TenantId id) {
      this.id = id;
    }
  }

  /** A contact's profile and its enrolments (so a contact's enrolments cost no scan). */
  private static final class Person {
    final ContactId id;
    ContactProfile profile;
    // null, one Row, or a Row[] of two or more: most contacts have one enrolment or none
    Object rows;

    Person(ContactId id, ContactProfile profile) {
      this.id = id;
      this.profile = profile;
    }

    Row[] rows() {
      if (rows == null) {
        return new Row[0];
      }
      return rows instanceof Row r ? new Row[] {r} : (Row[]) rows;
    }

    void add(Row row) {
      if (rows == null) {
        rows = row;
      } else {
        Row[] now = rows();
        Row[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = row;
        rows = more;
      }
    }
  }

  /** One enrolment as kept, and its history. */
  private static final class Row {
    // the id: a UUID in its canonical text as two longs (idText null), any other id as it is
    final String idText;
    final long idHigh;
    final long idLow;
    final ContactId contact;
    final String journey;
    final long enteredAt;
    int version;
    String step;
    int seq;
    byte state;
    long dueAt;
    long updatedAt;
    // the last message: the seq in the journeys' scheme (JourneyMessageIds), or any other id
    int lastSeq = -1;
    MessageId otherMessage;
    String exitReason;
    // the history: entry i has seq seq - n + 1 + i of n (enrol writes seq 0, each advance the
    // next one; a store keeping the latest entry only keeps one, of the row's seq). Entry i is a
    // shape (outcome, step and detail with the enrolment id and one instant marked; shared
    // between entries alike) and, in historyLongs, its time and, if its shape marks one, that
    // instant, unless a flag of the first FLAGGED entries says they need no long: bit 2i, its
    // time is the one before it (the entry time for entry 0), as a run's entries share their
    // time; bit 2i + 1, its instant is the row's due time (a wait's "until"), until that changes
    String[] historyShapes = NO_STRINGS;
    long[] historyLongs = NO_LONGS;
    int historyFlags;

    Row(Enrolment e, ContactId contact) {
      String id = e.id();
      if (CompactIds.isCanonicalUuid(id)) {
        this.idText = null;
        this.idHigh = CompactIds.high(id);
        this.idLow = CompactIds.low(id);
      } else {
        this.idText = id;
        this.idHigh = 0;
        this.idLow = 0;
      }
      this.contact = contact;
      this.journey = e.journey();
      this.enteredAt = nanos(e.enteredAt());
      set(e);
    }

    String id() {
      return idText != null ? idText : CompactIds.text(idHigh, idLow);
    }

    int idHash() {
      return idText != null ? idText.hashCode() : CompactIds.hash(idHigh, idLow);
    }

    /** Takes what a change may change, as the JDBC store's UPDATE does. */
    void set(Enrolment e) {
      version = e.version();
      step = e.step();
      seq = e.seq();
      state = (byte) e.state().ordinal();
      long due = nanos(e.dueAt());
      if (due != dueAt && (historyFlags & DUE_BITS) != 0) {
        keepDue(); // entries that said "the row's due time" keep the one they meant
      }
      dueAt = due;
      updatedAt = nanos(e.updatedAt());
      lastSeq = -1;
      otherMessage = null;
      e.lastMessage()
          .ifPresent(
              m -> {
                lastSeq = JourneyMessageIds.seqOf(e.id(), m.value());
                otherMessage = lastSeq < 0 ? m : null;
              });
      exitReason = e.exitReason().orElse(null);
    }

    boolean finished() {
      return STATES[state].finished();
    }

    Optional<MessageId> lastMessage(String id) {
      if (lastSeq >= 0) {
        return Optional.of(MessageId.of(JourneyMessageIds.of(id, lastSeq)));
      }
      return Optional.ofNullable(otherMessage);
    }

    Enrolment enrolment(TenantId tenant) {
      return enrolment(tenant, id());
    }

    /**
     * The enrolment, with {@code id} the caller's text of this row's id (the one it was found by):
     * a UUID row's text is not made again from its bits on every read.
     */
    Enrolment enrolment(TenantId tenant, String id) {
      return new Enrolment(
          tenant,
          id,
          contact,
          journey,
          version,
          step,
          seq,
          STATES[state],
          instant(dueAt),
          instant(enteredAt),
          instant(updatedAt),
          lastMessage(id),
          Optional.ofNullable(exitReason));
    }

    /** Keeps {@code h} as the only entry of the history (a store of the latest entries). */
    void replaceHistory(HistoryEntry h, Shapes shapes, String id) {
      historyShapes = NO_STRINGS;
      historyLongs = NO_LONGS;
      historyFlags = 0;
      append(h, shapes, id);
    }

    /**
     * Appends {@code h}. Its detail is kept as a shape with the enrolment's id marked (a send's
     * message id holds it) and the row's due time marked (a wait's "until ..."); a detail that
     * holds a mark character already is kept as it is. {@code id} is this row's id as text (the
     * caller's, so that a UUID row's is not made again from its bits).
     */
    void append(HistoryEntry h, Shapes sequences, String id) {
      Map<String, String> shapes = sequences.one;
      String detail = h.detail();
      String step = h.step();
      boolean literal =
          detail.indexOf(ID_MARK) >= 0
              || detail.indexOf(AT_MARK) >= 0
              || id.indexOf(ID_MARK) >= 0
              || id.indexOf(AT_MARK) >= 0;
      boolean marksAt = false;
      StringBuilder shape;
      // the shortest instant's text is 1970-01-01T00:00:00Z, and every one ends in Z: a detail
      // without one (a send's) needs no text of the due time made to look for it
      if (!literal && !detail.isEmpty() && (detail.length() < 20 || detail.indexOf('Z') < 0)) {
        // memstep: the id is marked as the detail is copied into the shape, with no string of
        // the marked detail made first
        shape = shapeHead(h, step, literal, detail.length());
        int from = 0;
        for (int i = detail.indexOf(id); i >= 0; i = detail.indexOf(id, from)) {
          shape.append(detail, from, i).append(ID_MARK);
          from = i + id.length();
        }
        shape.append(detail, from, detail.length());
      } else {
        char[] due = sequences.due;
        int dueLength = -1;
        if (!literal && !detail.isEmpty()) {
          if (detail.contains(id)) {
            detail = detail.replace(id, String.valueOf(ID_MARK));
          }
          if (detail.length() >= 20 && detail.indexOf('Z') >= 0) {
            // mem5: the due time's text is written into the store's buffer (this runs under the
            // store's lock) and marked as the detail is copied into the shape, with no string of
            // the text or of the marked detail made first
            dueLength =
                InstantText.write(
                    Math.floorDiv(dueAt, NANOS_PER_SECOND),
                    (int) Math.floorMod(dueAt, NANOS_PER_SECOND),
                    due);
            if (dueLength < 0) { // a year the JDK writes with a sign or more digits: its text
              due = instant(dueAt).toString().toCharArray();
              dueLength = due.length;
            }
          }
        }
        shape = shapeHead(h, step, literal, detail.length());
        if (dueLength > 0) {
          marksAt = appendMarked(shape, detail, due, dueLength);
        } else {
          shape.append(detail);
        }
      }
      String key = shape.toString();
      String shared = shapes.get(key);
      if (shared == null) {
        shared = key;
        if (shapes.size() < SHARED_SHAPES) {
          shapes.put(key, key);
        }
      }
      int n = historyShapes.length;
      long at = nanos(h.at());
      long before = n == 0 ? enteredAt : lastTime();
      historyShapes = sequences.grown(historyShapes, shared);
      int extra = 0;
      if (n < FLAGGED && at == before) {
        historyFlags |= 1 << (2 * n);
      } else {
        extra++;
      }
      if (marksAt && n < FLAGGED) {
        historyFlags |= 1 << (2 * n + 1);
      } else if (marksAt) {
        extra++;
      }
      if (extra > 0) {
        int m = historyLongs.length;
        historyLongs = Arrays.copyOf(historyLongs, m + extra);
        if (!(n < FLAGGED && at == before)) {
          historyLongs[m++] = at;
        }
        if (marksAt && n >= FLAGGED) {
          historyLongs[m] = dueAt;
        }
      }
    }

    /**
     * Appends {@code detail} to {@code shape} with each occurrence of the first {@code length}
     * characters of {@code text} replaced by {@link #AT_MARK}, left to right as {@link
     * String#replace} does; whether there was one.
     */
    private static boolean appendMarked(
        StringBuilder shape, String detail, char[] text, int length) {
      boolean marked = false;
      int from = 0;
      int last = detail.length() - length;
      int i = 0;
      while (i <= last) {
        if (startsAt(detail, i, text, length)) {
          shape.append(detail, from, i).append(AT_MARK);
          i += length;
          from = i;
          marked = true;
        } else {
          i++;
        }
      }
      shape.append(detail, from, detail.length());
      return marked;
    }

    /** Whether {@code detail} holds the first {@code length} characters of {@code text} at i. */
    private static boolean startsAt(String detail, int i, char[] text, int length) {
      for (int k = 0; k < length; k++) {
        if (detail.charAt(i + k) != text[k]) {
          return false;
        }
      }
      return true;
    }

    /**
     * A shape's head: outcome (and whether literal), the step's length in two characters, step;
     * room for a detail of {@code detailLength} after it.
     */
    private static StringBuilder shapeHead(
        HistoryEntry h, String step, boolean literal, int detailLength) {
      StringBuilder shape = new StringBuilder(3 + step.length() + detailLength);
      shape.append((char) (h.outcome().ordinal() | (literal ? LITERAL : 0)));
      shape.append((char) (step.length() >>> 16)).append((char) step.length());
      return shape.append(step);
    }

    /** The time of the last entry. */
    private long lastTime() {
      int last = historyShapes.length - 1;
      if (last >= FLAGGED) {
        // past the flagged entries each keeps its time, then its instant if its shape marks one:
        // the last one's are the last longs, so a long history is not walked on every append
        return historyLongs[historyLongs.length - (marksInstant(historyShapes[last]) ? 2 : 1)];
      }
      long[] times = new long[1];
      walk((i, time, marked, instant) -> times[0] = time);
      return times[0];
    }

    /** Writes the due time into the entries whose flag names it, before the due time changes. */
    private void keepDue() {
      long[] longs = new long[historyLongs.length + Integer.bitCount(historyFlags & DUE_BITS)];
      int[] next = {0};
      walk(
          (i, time, marked, instant) -> {
            boolean timeFlagged = i < FLAGGED && (historyFlags & (1 << (2 * i))) != 0;
            if (!timeFlagged) {
              longs[next[0]++] = time;
            }
            if (marked) {
              longs[next[0]++] = instant;
            }
          });
      historyLongs = longs;
      historyFlags &= ~DUE_BITS;
    }

    /**
     * One entry of the history: its index, time, whether its shape marks an instant and that
     * instant (0 when not marked). A flag, not a sentinel value: every long is a storable instant's
     * nanoseconds, Long.MIN_VALUE the earliest.
     */
    private interface EntryVisitor {
      void visit(int index, long time, boolean marked, long instant);
    }

    private void walk(EntryVisitor visitor) {
      long time = enteredAt;
      int at = 0;
      for (int i = 0; i < historyShapes.length; i++) {
        boolean flagged = i < FLAGGED;
        if (!(flagged && (historyFlags & (1 << (2 * i))) != 0)) {
          time = historyLongs[at++];
        }
        long instant = 0;
        boolean marked = marksInstant(historyShapes[i]);
        if (marked) {
          instant =
              flagged && (historyFlags & (1 << (2 * i + 1))) != 0 ? dueAt : historyLongs[at++];
        }
        visitor.visit(i, time, marked, instant);
      }
    }

    private static boolean marksInstant(String shape) {
      return (shape.charAt(0) & LITERAL) == 0 && shape.indexOf(AT_MARK, stepEnd(shape)) >= 0;
    }

    /** Where a shape's detail starts: after its head, the step's length and the step. */
    private static int stepEnd(String shape) {
      return 3 + ((shape.charAt(1) << 16) | shape.charAt(2));
    }

    List<HistoryEntry> history() {
      List<HistoryEntry> out = new ArrayList<>(historyShapes.length);
      int from = seq - historyShapes.length + 1;
      String id = id();
      walk(
          (i, time, marked, instant) -> {
            String shape = historyShapes[i];
            char head = shape.charAt(0);
            int stepEnd = stepEnd(shape);
            String step = shape.substring(3, stepEnd);
            String detail = shape.substring(stepEnd);
            if ((head & LITERAL) == 0) {
              if (marked) {
                detail = detail.replace(String.valueOf(AT_MARK), instant(instant).toString());
              }
              if (detail.indexOf(ID_MARK) >= 0) {
                detail = detail.replace(String.valueOf(ID_MARK), id);
              }
            }
            out.add(
                new HistoryEntry(from + i, step, instant(time), OUTCOMES[head & ~LITERAL], detail));
          });
      return List.copyOf(out);
    }
  }

  /**
   * The shapes of history entries and the sequences of them that histories hold, each kept once (at
   * most {@link #SHARED_SHAPES} of each; beyond, they are kept per row): enrolments that took the
   * same path have histories of the same shapes, their times and instants apart. A shared sequence
   * is never changed: a history that grows gets another.
   */
  private static final class Shapes {
    final Map<String, String> one = new HashMap<>();

    /** Where an append writes the text of the row's due time; used under the store's lock. */
    final char[] due = new char[InstantText.LONGEST];

    final Map<Sequence, String[]> sequences = new HashMap<>();
    // a shared sequence by the shared one it grew from and the shape it added: one lookup per
    // append instead of a copy of the whole history and a hash of it, which made a history of n
    // entries cost n * n to grow. Each shared sequence has one key here at most (that of its one
    // shared prefix), so it is no larger than the sequences
    private final Map<Grown, String[]> grown = new HashMap<>();

    /** {@code from} with {@code shape} added, shared if it can be. */
    String[] grown(String[] from, String shape) {
      Grown key = new Grown(from, shape);
      String[] known = grown.get(key);
      if (known != null) {
        return known;
      }
      String[] longer = Arrays.copyOf(from, from.length + 1);
      longer[from.length] = shape;
      Sequence sequence = new Sequence(longer);
      String[] shared = sequences.get(sequence);
      if (shared == null) {
        if (sequences.size() >= SHARED_SHAPES) {
          return longer; // kept per row
        }
        sequences.put(sequence, longer);
        shared = longer;
      }
      if (from.length == 0 || sequences.get(new Sequence(from)) == from) {
        grown.put(key, shared); // only from a shared one: a row's own copy is never a key
      }
      return shared;
    }

    /**
     * Drops an erased history's shapes and the sequences it grew through (each of its prefixes), so
     * that its text does not outlive the erasure; histories that share them keep their copies, and
     * the next one alike is shared again.
     */
    void forget(String[] history) {
      for (String shape : history) {
        one.remove(shape);
      }
      for (int n = history.length; n > 0; n--) {
        sequences.remove(new Sequence(n == history.length ? history : Arrays.copyOf(history, n)));
      }
      grown.clear(); // rebuilt as histories grow: none of it may name a sequence that went
    }
  }

  /** A sequence ({@code from}, by identity) grown by one shape, as a map's key. */
  private record Grown(String[] from, String shape) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Grown other && other.from == from && other.shape.equals(shape);
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(from) * 31 + shape.hashCode();
    }

    @Override
    public String toString() {
      return from.length + " shapes and one";
    }
  }

  /** An array of shapes as a map's key, by its elements. */
  private record Sequence(String[] shapes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Sequence other && Arrays.equals(shapes, other.shapes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(shapes);
    }

    @Override
    public String toString() {
      return shapes.length + " shapes";
    }
  }

  /** Rows by id: open addressing with linear probing; deletion shifts back (no tombstones). */
  private static final class RowTable {
    Row[] slots = new Row[16];
    int size;
    // a UUID id's bits while it is looked up (the store's lock is held)
    private final long[] bits = new long[2];

    private static int spread(int h) {
      return h ^ (h >>> 16);
    }

    Row get(String id) {
      boolean uuid = CompactIds.parse(id, bits);
      long high = uuid ? bits[0] : 0;
      long low = uuid ? bits[1] : 0;
      int h = uuid ? CompactIds.hash(high, low) : id.hashCode();
      int mask = slots.length - 1;
      for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
        Row r = slots[i];
        if (r == null) {
          return null;
        }
        if (uuid ? r.idText == null && r.idHigh == high && r.idLow == low : id.equals(r.idText)) {
          return r;
        }
      }
    }

    /** Adds a row whose id is known to be absent. */
    void add(Row row) {
      if ((size + 1) * 4 > slots.length * 3) {
        resize(slots.length * 2);
      }
      place(slots, row);
      size++;
    }

    private static void place(Row[] into, Row row) {
      int mask = into.length - 1;
      int i = spread(row.idHash()) & mask;
      while (into[i] != null) {
        i = (i + 1) & mask;
      }
      into[i] = row;
    }

    void remove(Row row) {
      int mask = slots.length - 1;
      int i = spread(row.idHash()) & mask;
      while (slots[i] != row) {
        if (slots[i] == null) {
          return;
        }
        i = (i + 1) & mask;
      }
      slots[i] = null;
      size--;
      int j = i;
      while (true) {
        j = (j + 1) & mask;
        Row s = slots[j];
        if (s == null) {
          break;
        }
        int k = spread(s.idHash()) & mask;
        // s stays if its home k lies cyclically in (i, j]; otherwise it moves into the hole
        boolean stays = i < j ? (k > i && k <= j) : (k > i || k <= j);
        if (!stays) {
          slots[i] = s;
          slots[j] = null;
          i = j;
        }
      }
      if (slots.length > 16 && size * 8 < slots.length) {
        resize(slots.length / 2);
      }
    }

    private void resize(int length) {
      Row[] old = slots;
      slots = new Row[length];
      for (Row r : old) {
        if (r != null) {
          place(slots, r);
        }
      }
    }
  }

  /** Nanoseconds since the epoch: every storable instant ({@link Enrolment#storable}) has one. */
  static long nanos(Instant at) {
    long seconds = at.getEpochSecond();
    int nano = at.getNano();
    if (seconds < 0 && nano > 0) { // the earliest ones overflow as seconds * 10^9 before the nanos
      return Math.addExact(Math.multiplyExact(seconds + 1, 1_000_000_000L), nano - 1_000_000_000L);
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000_000L), nano);
  }

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /**
   * Whether every history entry is kept; if not, only each enrolment's latest, which is all the
   * scheduler itself reads (a wait's re-anchoring asks what set the current due time).
   */
  private final boolean fullHistory;

  /** History shapes and their sequences, shared between entries and histories alike. */
  private final Shapes shapes = new Shapes();

  /** An empty store. */
  public static InMemoryJourneyStore of() {
    return new InMemoryJourneyStore(true);
  }

  /**
   * An empty store that keeps only the latest history entry of each enrolment, so that its memory
   * does not grow with every step: for simulations ({@link JourneySimulation}), which stream the
   * history to their own timelines instead. Not for version migration, which reads back further.
   */
  static InMemoryJourneyStore latestHistoryOnly() {
    return new InMemoryJourneyStore(false);
  }

  private InMemoryJourneyStore(boolean fullHistory) {
    this.fullHistory = fullHistory;
  }

  private Tenant tenant(TenantId t) {
    return tenants.computeIfAbsent(t, Tenant::new);
  }

  private Person person(TenantId tenant, ContactId contact) {
    Tenant t = tenants.get(tenant);
    return t == null ? null : t.contacts.get(contact);
  }

  @Override
  public synchronized void putContact(ContactProfile profile) {
    InvalidJourneyException.requireNonNull(profile, "profile");
    Tenant t = tenant(profile.tenant());
    Person p = t.contacts.get(profile.contact());
    if (p == null) {
      t.contacts.put(profile.contact(), new Person(profile.contact(), profile));
      byOrder = null;
    } else {
      p.profile = profile;
    }
  }

  @Override
  public synchronized Optional<ContactProfile> contact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Person p = person(tenant, contact);
    return p == null ? Optional.empty() : Optional.of(p.profile);
  }

  @Override
  public synchronized boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    check(tenant, contact);
    ContactProfile.checkAttribute(name, "attribute name");
    InvalidJourneyException.requireNonNull(value, "value");
    value.ifPresent(v -> ContactProfile.checkAttribute(v, "attribute '" + name + "'"));
    Person person = person(tenant, contact);
    if (person == null) {
      return false;
    }
    ContactProfile p = person.profile;
    if (value.isPresent()
        && !p.attributes().containsKey(name)
        && p.attributes().size() >= ContactProfile.MAX_ATTRIBUTES) {
      throw new InvalidJourneyException(
          "contact " + contact + " has " + ContactProfile.MAX_ATTRIBUTES + " attributes already");
    }
    person.profile = value.map(v -> p.with(name, v)).orElseGet(() -> p.without(name));
    return true;
  }

  @Override
  public synchronized List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
    if (max < 1) {
      throw new InvalidJourneyException("a page holds at least 1, was " + max);
    }
    InvalidJourneyException.requireNonNull(after, "after");
    // the people in order, sorted once and kept until a contact comes or goes: the daily trigger
    // pass asks for page after page under the store's lock, and a scan of every profile per page
    // made a pass over n contacts cost n * n / max
    if (byOrder == null) {
      List<Person> all = new ArrayList<>();
      for (Tenant t : tenants.values()) {
        all.addAll(t.contacts.values());
      }
      Person[] people = all.toArray(new Person[0]);
      Arrays.sort(people, (x, y) -> ORDER.compare(x.profile, y.profile));
      byOrder = people;
    }
    int from = 0;
    if (after.isPresent()) {
      // the first person after the cursor (which may be a contact no longer kept)
      int lo = 0;
      int hi = byOrder.length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (ORDER.compare(byOrder[mid].profile, after.get()) <= 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      from = lo;
    }
    int to = (int) Math.min(byOrder.length, (long) from + max);
    List<ContactProfile> page = new ArrayList<>(Math.max(0, to - from));
    for (int i = from; i < to; i++) {
      page.add(byOrder[i].profile);
    }
    return List.copyOf(page);
  }

  /** The order of {@link #contacts}: by tenant, then contact. */
  private static final Comparator<ContactProfile> ORDER =
      Comparator.comparing((ContactProfile p) -> p.tenant().value())
          .thenComparing(p -> p.contact().value());

  @Override
  public synchronized EnrolResult enrol(Enrolment enrolment, ReEntry reEntry, int maxActive) {
    EnrolResult.checkNew(enrolment);
    Tenant t = tenant(enrolment.tenant());
    Person person = t.contacts.get(enrolment.contact());
    if (person == null) {
      throw noProfile(enrolment);
    }
    Row same = t.enrolments.get(enrolment.id());
    if (same != null) {
      return new EnrolResult(
          EnrolResult.Status.ALREADY_ENROLLED,
          Optional.of(same.enrolment(t.id)),
          "enrolment exists");
    }
    List<Enrolment> mine = enrolmentsOf(t, person);
    Optional<EnrolResult> refusal =
        EnrolResult.refusal(
            enrolment,
            mine,
            reEntry,
            maxActive,
            person.profile.zone().orElse(java.time.ZoneOffset.UTC));
    if (refusal.isPresent()) {
      return refusal.get();
    }
    Row row = new Row(enrolment, person.id);
    row.append(EnrolResult.entered(enrolment), shapes, enrolment.id());
    t.enrolments.add(row);
    person.add(row);
    return new EnrolResult(EnrolResult.Status.ENROLLED, Optional.of(enrolment), "");
  }

  @Override
  public synchronized Optional<Enrolment> find(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    Tenant t = tenants.get(tenant);
    Row row = t == null ? null : t.enrolments.get(enrolmentId);
    return row == null ? Optional.empty() : Optional.of(row.enrolment(t.id, enrolmentId));
  }

  /** As the default, without making the enrolment (mem5: every calendar plan asks it). */
  @Override
  public synchronized OptionalInt seqOf(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    Tenant t = tenants.get(tenant);
    Row row = t == null ? null : t.enrolments.get(enrolmentId);
    return row == null ? OptionalInt.empty() : OptionalInt.of(row.seq);
  }

  @Override
  public synchronized Map<String, Enrolment> findAll(
      TenantId tenant, java.util.Collection<String> enrolmentIds) {
    StoreChecks.keys(tenant, enrolmentIds, "enrolment ids");
    Tenant t = tenants.get(tenant);
    Map<String, Enrolment> out = new HashMap<>(Sized.capacity(enrolmentIds.size()));
    if (t == null) {
      return out;
    }
    for (String id : enrolmentIds) {
      Row row = t.enrolments.get(id);
      if (row != null) {
        out.put(id, row.enrolment(t.id, id));
      }
    }
    return out;
  }

  @Override
  public synchronized Map<ContactId, ContactProfile> contacts(
      TenantId tenant, java.util.Collection<ContactId> contacts) {
    StoreChecks.keys(tenant, contacts, "contacts");
    Map<ContactId, ContactProfile> out = new HashMap<>(Sized.capacity(contacts.size()));
    for (ContactId c : contacts) {
      Person p = person(tenant, c);
      if (p != null) {
        out.put(c, p.profile);
      }
    }
    return out;
  }

  @Override
  public synchronized List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Tenant t = tenants.get(tenant);
    Person p = t == null ? null : t.contacts.get(contact);
    return p == null ? List.of() : enrolmentsOf(t, p);
  }

  private static List<Enrolment> enrolmentsOf(Tenant t, Person p) {
    Row[] rows = p.rows();
    List<Enrolment> out = new ArrayList<>(rows.length);
    for (Row r : rows) {
      out.add(r.enrolment(t.id));
    }
    out.sort(Comparator.comparing(Enrolment::enteredAt).thenComparing(Enrolment::id));
    return out;
  }

  @Override
  public synchronized boolean advance(Enrolment next, HistoryEntry entry) {
    EnrolResult.checkAdvance(next, entry);
    Tenant t = tenants.get(next.tenant());
    Row stored = t == null ? null : t.enrolments.get(next.id());
    if (stored == null || stored.seq != next.seq() - 1 || stored.finished()) {
      return false;
    }
    stored.set(next);
    if (fullHistory) {
      stored.append(entry, shapes, next.id());
    } else {
      stored.replaceHistory(entry, shapes, next.id());
    }
    if (next.state().finished()) { // no wait will ask any more
      t.signals.remove(next.id());
    } else if (entry.outcome().ofSend() && t.signals.containsKey(next.id())) {
      // waits ask about the last message only: a loop keeps one message's signals, not all
      List<MessageSignal> known = t.signals.get(next.id());
      known.removeIf(x -> !next.lastMessage().equals(Optional.of(x.message())));
      if (known.isEmpty()) {
        t.signals.remove(next.id());
      }
    }
    return true;
  }

  @Override
  public synchronized List<HistoryEntry> history(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    Tenant t = tenants.get(tenant);
    Row row = t == null ? null : t.enrolments.get(enrolmentId);
    return row == null ? List.of() : row.history();
  }

  @Override
  public synchronized List<Enrolment> dueBefore(
      Instant before, Optional<Enrolment> after, int max) {
    InvalidJourneyException.requireNonNull(before, "before");
    InvalidJourneyException.requireNonNull(after, "after");
    if (max < 1) {
      throw new InvalidJourneyException("max must be at least 1, was " + max);
    }
    List<Enrolment> out = new ArrayList<>();
    // compared as nanoseconds: the hourly stranded sweep walks every row, and an Instant made per
    // row to compare was most of its cost. An instant past the nanoseconds' range is after (or
    // before) every storable due time
    long limit = 0;
    boolean all = false;
    try {
      limit = nanos(before);
    } catch (ArithmeticException beyond) {
      if (before.getEpochSecond() < 0) {
        return out;
      }
      all = true;
    }
    for (Tenant t : tenants.values()) {
      for (Row r : t.enrolments.slots) {
        if (r != null && !r.finished() && (all || r.dueAt < limit)) {
          Enrolment e = r.enrolment(t.id);
          if (after.map(a -> DUE_ORDER.compare(e, a) > 0).orElse(true)) {
            out.add(e);
          }
        }
      }
    }
    out.sort(DUE_ORDER);
    return out.size() > max ? List.copyOf(out.subList(0, max)) : out;
  }

  @Override
  public synchronized boolean recordSignal(MessageSignal signal) {
    InvalidJourneyException.requireNonNull(signal, "signal");
    Tenant t = tenants.get(signal.tenant());
    Row e = t == null ? null : t.enrolments.get(signal.enrolmentId());
    if (e == null || e.finished()) {
      return false;
    }
    List<MessageSignal> known =
        t.signals.computeIfAbsent(signal.enrolmentId(), k -> new ArrayList<>());
    for (MessageSignal s : known) {
      if (s.message().equals(signal.message()) && s.event().equals(signal.event())) {
        return false;
      }
    }
    known.add(signal);
    return true;
  }

  @Override
  public synchronized List<MessageSignal> signals(
      TenantId tenant, String enrolmentId, MessageId message) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    InvalidJourneyException.requireNonNull(message, "message");
    Tenant t = tenants.get(tenant);
    List<MessageSignal> known = t == null ? null : t.signals.get(enrolmentId);
    if (known == null) {
      return List.of();
    }
    return known.stream()
        .filter(s -> s.message().equals(message))
        .sorted(Comparator.comparing(MessageSignal::at).thenComparing(MessageSignal::event))
        .toList();
  }

  @Override
  public synchronized int eraseContact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Tenant t = tenants.get(tenant);
    if (t == null) {
      return 0;
    }
    Person p = t.contacts.remove(contact);
    if (p == null) {
      return 0;
    }
    byOrder = null;
    Row[] rows = p.rows();
    for (Row r : rows) {
      t.enrolments.remove(r);
      t.signals.remove(r.id());
      shapes.forget(r.historyShapes);
    }
    return rows.length;
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    Tenant t = tenants.remove(tenant);
    if (t == null) {
      return 0;
    }
    byOrder = null;
    for (Row r : t.enrolments.slots) {
      if (r != null) {
        shapes.forget(r.historyShapes);
      }
    }
    return t.enrolments.size;
  }

  /** How many history sequences are shared: for tests of sharing. */
  synchronized int sharedSequences() {
    return shapes.sequences.size();
  }

  /** Whether any shared history shape holds {@code text}: for tests of erasure. */
  synchronized boolean sharesText(String text) {
    for (String shape : shapes.one.keySet()) {
      if (shape.contains(text)) {
        return true;
      }
    }
    for (String[] sequence : shapes.sequences.values()) {
      for (String shape : sequence) {
        if (shape.contains(text)) {
          return true;
        }
      }
    }
    return false;
  }

  static InvalidJourneyException noProfile(Enrolment e) {
    return new InvalidJourneyException(
        "contact " + e.contact() + " of tenant " + e.tenant() + " has no profile; put one first");
  }

  private static void check(TenantId tenant, ContactId contact) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
  }
}
