package dev.steward.journey;

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

/**
 * A {@link JourneyStore} in memory, for one process and tests. Every operation holds the store's
 * lock: simple and, for the sizes one process keeps, fast enough.
 *
 * <p>Most enrolments of a live journey wait, so they are kept compactly: an enrolment is a row of
 * numbers and shared references (its times as nanoseconds, its last message by the sequence number
 * of the send when the id follows the journeys' own scheme, its history in arrays beside it), filed
 * under its contact; the {@link Enrolment} and {@link HistoryEntry} values are made when read. A
 * change stores what the JDBC store's stores (version, step, seq, state, due and update times, last
 * message, exit reason); the contact, journey and entry time stay as entered.
 */
public final class InMemoryJourneyStore implements JourneyStore {
  private final Map<TenantId, Tenant> tenants = new HashMap<>();

  /** The order of {@link #dueBefore}: due time, enrolment id, tenant id. */
  private static final Comparator<Enrolment> DUE_ORDER =
      Comparator.comparing(Enrolment::dueAt)
          .thenComparing(Enrolment::id)
          .thenComparing(e -> e.tenant().value());

  private static final EnrolmentState[] STATES = EnrolmentState.values();
  private static final StepOutcome[] OUTCOMES = StepOutcome.values();
  private static final String[] NO_STRINGS = {};
  private static final long[] NO_LONGS = {};
  private static final byte[] NO_BYTES = {};
  private static final Row[] NO_ROWS = {};

  private static final class Tenant {
    final TenantId id;
    final Map<ContactId, Person> contacts = new HashMap<>();
    final Map<String, Row> enrolments = new HashMap<>();
    final Map<String, List<MessageSignal>> signals = new HashMap<>();

    Tenant(TenantId id) {
      this.id = id;
    }
  }

  /** A contact's profile and its enrolments (so a contact's enrolments cost no scan). */
  private static final class Person {
    final ContactId id;
    ContactProfile profile;
    Row[] rows = NO_ROWS;

    Person(ContactId id, ContactProfile profile) {
      this.id = id;
      this.profile = profile;
    }
  }

  /** One enrolment as kept, and its history. */
  private static final class Row {
    final String id;
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
    // the history: entry i has seq historyFrom + i (enrol writes seq 0, each advance the next one;
    // a store keeping the latest entry only keeps one, of seq historyFrom)
    int historyFrom;
    String[] historySteps = NO_STRINGS;
    String[] historyDetails = NO_STRINGS;
    long[] historyAt = NO_LONGS;
    byte[] historyOutcomes = NO_BYTES;

    Row(Enrolment e, ContactId contact) {
      this.id = e.id();
      this.contact = contact;
      this.journey = e.journey();
      this.enteredAt = nanos(e.enteredAt());
      set(e);
    }

    /** Takes what a change may change, as the JDBC store's UPDATE does. */
    void set(Enrolment e) {
      version = e.version();
      step = e.step();
      seq = e.seq();
      state = (byte) e.state().ordinal();
      dueAt = nanos(e.dueAt());
      updatedAt = nanos(e.updatedAt());
      lastSeq = -1;
      otherMessage = null;
      e.lastMessage()
          .ifPresent(
              m -> {
                lastSeq = schemeSeq(id, m.value());
                otherMessage = lastSeq < 0 ? m : null;
              });
      exitReason = e.exitReason().orElse(null);
    }

    boolean finished() {
      return STATES[state].finished();
    }

    Optional<MessageId> lastMessage() {
      if (lastSeq >= 0) {
        return Optional.of(MessageId.of(JourneyMessageIds.of(id, lastSeq)));
      }
      return Optional.ofNullable(otherMessage);
    }

    Enrolment enrolment(TenantId tenant) {
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
          lastMessage(),
          Optional.ofNullable(exitReason));
    }

    /** Keeps {@code h} as the only entry of the history (a store of the latest entries). */
    void replaceHistory(HistoryEntry h) {
      historySteps = NO_STRINGS;
      historyDetails = NO_STRINGS;
      historyAt = NO_LONGS;
      historyOutcomes = NO_BYTES;
      historyFrom = h.seq();
      append(h);
    }

    void append(HistoryEntry h) {
      int n = historySteps.length;
      historySteps = Arrays.copyOf(historySteps, n + 1);
      historyDetails = Arrays.copyOf(historyDetails, n + 1);
      historyAt = Arrays.copyOf(historyAt, n + 1);
      historyOutcomes = Arrays.copyOf(historyOutcomes, n + 1);
      historySteps[n] = h.step();
      historyDetails[n] = h.detail().isEmpty() ? "" : h.detail();
      historyAt[n] = nanos(h.at());
      historyOutcomes[n] = (byte) h.outcome().ordinal();
    }

    List<HistoryEntry> history() {
      List<HistoryEntry> out = new ArrayList<>(historySteps.length);
      for (int i = 0; i < historySteps.length; i++) {
        out.add(
            new HistoryEntry(
                historyFrom + i,
                historySteps[i],
                instant(historyAt[i]),
                OUTCOMES[historyOutcomes[i]],
                historyDetails[i]));
      }
      return List.copyOf(out);
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

  static Instant instant(long nanos) {
    return Instant.ofEpochSecond(0, nanos);
  }

  /**
   * The seq of a message id in the journeys' scheme for enrolment {@code id} ({@code j-<id>-<seq>},
   * the seq written as {@link Integer#toString} writes it), or -1 for any other id, which is then
   * kept as it is.
   */
  static int schemeSeq(String id, String message) {
    int from = JourneyMessageIds.PREFIX.length() + id.length() + 1;
    int to = message.length();
    if (to <= from
        || to - from > 10
        || !message.startsWith(JourneyMessageIds.PREFIX)
        || !message.startsWith(id, JourneyMessageIds.PREFIX.length())
        || message.charAt(from - 1) != '-'
        || (message.charAt(from) == '0' && to - from > 1)) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = message.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  /**
   * Whether every history entry is kept; if not, only each enrolment's latest, which is all the
   * scheduler itself reads (a wait's re-anchoring asks what set the current due time).
   */
  private final boolean fullHistory;

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
    Comparator<ContactProfile> order =
        Comparator.comparing((ContactProfile p) -> p.tenant().value())
            .thenComparing(p -> p.contact().value());
    // the page's max first profiles after the cursor, kept in a heap whose head is the last of
    // them: one pass without copying or sorting every profile, which the daily trigger pass asks
    // for page after page while holding the store's lock
    java.util.PriorityQueue<ContactProfile> page =
        new java.util.PriorityQueue<>(Math.min(max, 1024) + 1, order.reversed());
    for (Tenant t : tenants.values()) {
      for (Person person : t.contacts.values()) {
        ContactProfile p = person.profile;
        if (after.isPresent() && order.compare(p, after.get()) <= 0) {
          continue;
        }
        if (page.size() < max) {
          page.add(p);
        } else if (order.compare(p, page.peek()) < 0) {
          page.poll();
          page.add(p);
        }
      }
    }
    List<ContactProfile> sorted = new ArrayList<>(page);
    sorted.sort(order);
    return List.copyOf(sorted);
  }

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
    row.append(EnrolResult.entered(enrolment));
    t.enrolments.put(row.id, row);
    Row[] rows = Arrays.copyOf(person.rows, person.rows.length + 1);
    rows[rows.length - 1] = row;
    person.rows = rows;
    return new EnrolResult(EnrolResult.Status.ENROLLED, Optional.of(enrolment), "");
  }

  @Override
  public synchronized Optional<Enrolment> find(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    Tenant t = tenants.get(tenant);
    Row row = t == null ? null : t.enrolments.get(enrolmentId);
    return row == null ? Optional.empty() : Optional.of(row.enrolment(t.id));
  }

  @Override
  public synchronized List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Tenant t = tenants.get(tenant);
    Person p = t == null ? null : t.contacts.get(contact);
    return p == null ? List.of() : enrolmentsOf(t, p);
  }

  private static List<Enrolment> enrolmentsOf(Tenant t, Person p) {
    List<Enrolment> out = new ArrayList<>(p.rows.length);
    for (Row r : p.rows) {
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
      stored.append(entry);
    } else {
      stored.replaceHistory(entry);
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
    for (Tenant t : tenants.values()) {
      for (Row r : t.enrolments.values()) {
        if (!r.finished() && instant(r.dueAt).isBefore(before)) {
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
    List<MessageSignal> known = t.signals.computeIfAbsent(e.id, k -> new ArrayList<>());
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
    for (Row r : p.rows) {
      t.enrolments.remove(r.id);
      t.signals.remove(r.id);
    }
    return p.rows.length;
  }

  @Override
  public synchronized int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    Tenant t = tenants.remove(tenant);
    return t == null ? 0 : t.enrolments.size();
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
