package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link JourneyStore} in memory, for one process and tests. Every operation holds the store's
 * lock: simple and, for the sizes one process keeps, fast enough.
 */
public final class InMemoryJourneyStore implements JourneyStore {
  private final Map<TenantId, Tenant> tenants = new HashMap<>();

  /** The order of {@link #dueBefore}: due time, enrolment id, tenant id. */
  private static final Comparator<Enrolment> DUE_ORDER =
      Comparator.comparing(Enrolment::dueAt)
          .thenComparing(Enrolment::id)
          .thenComparing(e -> e.tenant().value());

  private static final class Tenant {
    final Map<ContactId, ContactProfile> contacts = new HashMap<>();
    final Map<String, Enrolment> enrolments = new LinkedHashMap<>();
    final Map<String, List<HistoryEntry>> history = new HashMap<>();
    final Map<String, List<MessageSignal>> signals = new HashMap<>();
  }

  /** An empty store. */
  public static InMemoryJourneyStore of() {
    return new InMemoryJourneyStore();
  }

  private InMemoryJourneyStore() {}

  private Tenant tenant(TenantId t) {
    return tenants.computeIfAbsent(t, k -> new Tenant());
  }

  @Override
  public synchronized void putContact(ContactProfile profile) {
    InvalidJourneyException.requireNonNull(profile, "profile");
    tenant(profile.tenant()).contacts.put(profile.contact(), profile);
  }

  @Override
  public synchronized Optional<ContactProfile> contact(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Tenant t = tenants.get(tenant);
    return t == null ? Optional.empty() : Optional.ofNullable(t.contacts.get(contact));
  }

  @Override
  public synchronized boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    check(tenant, contact);
    ContactProfile.checkAttribute(name, "attribute name");
    InvalidJourneyException.requireNonNull(value, "value");
    value.ifPresent(v -> ContactProfile.checkAttribute(v, "attribute '" + name + "'"));
    Tenant t = tenants.get(tenant);
    ContactProfile p = t == null ? null : t.contacts.get(contact);
    if (p == null) {
      return false;
    }
    if (value.isPresent()
        && !p.attributes().containsKey(name)
        && p.attributes().size() >= ContactProfile.MAX_ATTRIBUTES) {
      throw new InvalidJourneyException(
          "contact " + contact + " has " + ContactProfile.MAX_ATTRIBUTES + " attributes already");
    }
    t.contacts.put(contact, value.map(v -> p.with(name, v)).orElseGet(() -> p.without(name)));
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
    List<ContactProfile> all = new ArrayList<>();
    for (Tenant t : tenants.values()) {
      for (ContactProfile p : t.contacts.values()) {
        if (after.isEmpty() || order.compare(p, after.get()) > 0) {
          all.add(p);
        }
      }
    }
    all.sort(order);
    return List.copyOf(all.subList(0, Math.min(max, all.size())));
  }

  @Override
  public synchronized EnrolResult enrol(Enrolment enrolment, ReEntry reEntry, int maxActive) {
    EnrolResult.checkNew(enrolment);
    Tenant t = tenant(enrolment.tenant());
    if (!t.contacts.containsKey(enrolment.contact())) {
      throw noProfile(enrolment);
    }
    Enrolment same = t.enrolments.get(enrolment.id());
    if (same != null) {
      return new EnrolResult(
          EnrolResult.Status.ALREADY_ENROLLED, Optional.of(same), "enrolment exists");
    }
    List<Enrolment> mine = enrolmentsOf(t, enrolment.contact());
    Optional<EnrolResult> refusal =
        EnrolResult.refusal(
            enrolment,
            mine,
            reEntry,
            maxActive,
            t.contacts.get(enrolment.contact()).zone().orElse(java.time.ZoneOffset.UTC));
    if (refusal.isPresent()) {
      return refusal.get();
    }
    t.enrolments.put(enrolment.id(), enrolment);
    List<HistoryEntry> h = new ArrayList<>();
    h.add(EnrolResult.entered(enrolment));
    t.history.put(enrolment.id(), h);
    return new EnrolResult(EnrolResult.Status.ENROLLED, Optional.of(enrolment), "");
  }

  @Override
  public synchronized Optional<Enrolment> find(TenantId tenant, String enrolmentId) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(enrolmentId, "enrolment id");
    Tenant t = tenants.get(tenant);
    return t == null ? Optional.empty() : Optional.ofNullable(t.enrolments.get(enrolmentId));
  }

  @Override
  public synchronized List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    check(tenant, contact);
    Tenant t = tenants.get(tenant);
    return t == null ? List.of() : enrolmentsOf(t, contact);
  }

  private static List<Enrolment> enrolmentsOf(Tenant t, ContactId contact) {
    List<Enrolment> out = new ArrayList<>();
    for (Enrolment e : t.enrolments.values()) {
      if (e.contact().equals(contact)) {
        out.add(e);
      }
    }
    out.sort(Comparator.comparing(Enrolment::enteredAt).thenComparing(Enrolment::id));
    return out;
  }

  @Override
  public synchronized boolean advance(Enrolment next, HistoryEntry entry) {
    EnrolResult.checkAdvance(next, entry);
    Tenant t = tenants.get(next.tenant());
    Enrolment stored = t == null ? null : t.enrolments.get(next.id());
    if (stored == null || stored.seq() != next.seq() - 1 || stored.state().finished()) {
      return false;
    }
    t.enrolments.put(next.id(), next);
    t.history.computeIfAbsent(next.id(), k -> new ArrayList<>()).add(entry);
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
    List<HistoryEntry> h = t == null ? null : t.history.get(enrolmentId);
    return h == null ? List.of() : List.copyOf(h);
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
      for (Enrolment e : t.enrolments.values()) {
        if (!e.state().finished()
            && e.dueAt().isBefore(before)
            && after.map(a -> DUE_ORDER.compare(e, a) > 0).orElse(true)) {
          out.add(e);
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
    Enrolment e = t == null ? null : t.enrolments.get(signal.enrolmentId());
    if (e == null || e.state().finished()) {
      return false;
    }
    List<MessageSignal> known = t.signals.computeIfAbsent(e.id(), k -> new ArrayList<>());
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
    t.contacts.remove(contact);
    int n = 0;
    for (var it = t.enrolments.values().iterator(); it.hasNext(); ) {
      Enrolment e = it.next();
      if (e.contact().equals(contact)) {
        it.remove();
        t.history.remove(e.id());
        t.signals.remove(e.id());
        n++;
      }
    }
    return n;
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
