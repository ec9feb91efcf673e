package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link TriggerStore} in memory, for one process and tests; thread-safe. */
public final class InMemoryTriggerStore implements TriggerStore {
  private final Object lock = new Object();
  private final TreeMap<SegmentMembership, SegmentMembership> memberships =
      new TreeMap<>(SegmentMembership::compareKeys);
  private final Map<List<String>, List<ContactEvent>> events = new HashMap<>();
  private final Map<List<String>, ContactEvent> eventIds = new HashMap<>();

  private InMemoryTriggerStore() {}

  /** An empty store. */
  public static InMemoryTriggerStore of() {
    return new InMemoryTriggerStore();
  }

  @Override
  public Optional<SegmentMembership> membership(
      TenantId tenant, ContactId contact, String journey) {
    SegmentMembership probe = probe(tenant, contact, journey);
    synchronized (lock) {
      return Optional.ofNullable(memberships.get(probe));
    }
  }

  private static SegmentMembership probe(TenantId tenant, ContactId contact, String journey) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    return new SegmentMembership(tenant, contact, journey, false, 0, Instant.EPOCH);
  }

  @Override
  public boolean replaceMembership(Optional<SegmentMembership> expected, SegmentMembership next) {
    InvalidJourneyException.requireNonNull(next, "membership");
    InvalidJourneyException.requireNonNull(expected, "expected membership");
    if (expected.isPresent() && !expected.get().sameKey(next)) {
      throw new InvalidJourneyException(
          "the expected membership names another contact or journey than " + next);
    }
    synchronized (lock) {
      SegmentMembership now = memberships.get(next);
      boolean matches =
          expected.isEmpty()
              ? now == null
              : now != null
                  && now.member() == expected.get().member()
                  && now.generation() == expected.get().generation();
      if (matches) {
        memberships.put(next, next);
      }
      return matches;
    }
  }

  @Override
  public List<SegmentMembership> memberships(Optional<SegmentMembership> after, int max) {
    if (max < 1) {
      throw new InvalidJourneyException("a page holds at least 1, was " + max);
    }
    InvalidJourneyException.requireNonNull(after, "after");
    synchronized (lock) {
      List<SegmentMembership> out = new ArrayList<>();
      for (SegmentMembership m :
          after.isEmpty()
              ? memberships.values()
              : memberships.tailMap(after.get(), false).values()) {
        if (out.size() == max) {
          break;
        }
        out.add(m);
      }
      return out;
    }
  }

  @Override
  public boolean recordEvent(ContactEvent event) {
    InvalidJourneyException.requireNonNull(event, "event");
    synchronized (lock) {
      if (eventIds.putIfAbsent(List.of(event.tenant().value(), event.id()), event) != null) {
        return false;
      }
      events
          .computeIfAbsent(
              List.of(event.tenant().value(), event.contact().value()), k -> new ArrayList<>())
          .add(event);
      return true;
    }
  }

  @Override
  public int countEvents(
      TenantId tenant, ContactId contact, String name, Instant from, Instant until) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    String n = ContactEvent.checkName(name);
    InvalidJourneyException.requireNonNull(from, "from");
    InvalidJourneyException.requireNonNull(until, "until");
    synchronized (lock) {
      int count = 0;
      for (ContactEvent e :
          events.getOrDefault(List.of(tenant.value(), contact.value()), List.of())) {
        if (e.name().equals(n) && e.at().isAfter(from) && !e.at().isAfter(until)) {
          count++;
        }
      }
      return count;
    }
  }

  @Override
  public int purgeEventsBefore(Instant before, int max) {
    InvalidJourneyException.requireNonNull(before, "before");
    synchronized (lock) {
      int n = 0;
      for (Iterator<List<ContactEvent>> lists = events.values().iterator();
          lists.hasNext() && n < max; ) {
        List<ContactEvent> list = lists.next();
        for (Iterator<ContactEvent> it = list.iterator(); it.hasNext() && n < max; ) {
          ContactEvent e = it.next();
          if (e.at().isBefore(before)) {
            it.remove();
            eventIds.remove(List.of(e.tenant().value(), e.id()));
            n++;
          }
        }
        if (list.isEmpty()) {
          lists.remove();
        }
      }
      return n;
    }
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    synchronized (lock) {
      int n = 0;
      Iterator<SegmentMembership> it = memberships.keySet().iterator();
      while (it.hasNext()) {
        SegmentMembership m = it.next();
        if (m.tenant().equals(tenant) && m.contact().equals(contact)) {
          it.remove();
          n++;
        }
      }
      List<ContactEvent> gone = events.remove(List.of(tenant.value(), contact.value()));
      if (gone != null) {
        for (ContactEvent e : gone) {
          eventIds.remove(List.of(tenant.value(), e.id()));
        }
        n += gone.size();
      }
      return n;
    }
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    synchronized (lock) {
      int n = 0;
      Iterator<SegmentMembership> it = memberships.keySet().iterator();
      while (it.hasNext()) {
        if (it.next().tenant().equals(tenant)) {
          it.remove();
          n++;
        }
      }
      Iterator<Map.Entry<List<String>, List<ContactEvent>>> es = events.entrySet().iterator();
      while (es.hasNext()) {
        Map.Entry<List<String>, List<ContactEvent>> e = es.next();
        if (e.getKey().get(0).equals(tenant.value())) {
          n += e.getValue().size();
          es.remove();
        }
      }
      eventIds.keySet().removeIf(k -> k.get(0).equals(tenant.value()));
      return n;
    }
  }
}
