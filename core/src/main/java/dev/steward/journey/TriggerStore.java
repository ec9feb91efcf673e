package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Durable state of entry triggers ({@link JourneyTriggers}): each contact's segment memberships,
 * changed only by compare-and-set so that an entry is decided once across instances, and the
 * contact events that segment event counts read, de-duplicated by event id. Every key starts with
 * the tenant.
 *
 * <p>Implementations: {@link InMemoryTriggerStore}, and {@code dev.steward.jdbc.JdbcTriggerStore}
 * for H2 and PostgreSQL. All pass one contract suite and refuse the same inputs with {@link
 * InvalidJourneyException}.
 */
public interface TriggerStore {

  /** The membership of a contact in the segment of a journey's trigger. */
  Optional<SegmentMembership> membership(TenantId tenant, ContactId contact, String journey);

  /**
   * Stores {@code next} only if the stored membership of its key is {@code expected} (by member and
   * generation; absent when {@code expected} is empty); true if applied.
   *
   * @throws InvalidJourneyException if {@code expected} names another key than {@code next}
   */
  boolean replaceMembership(Optional<SegmentMembership> expected, SegmentMembership next);

  /**
   * Memberships of all tenants in the order of tenant, contact and journey ids (compared as
   * strings), those after {@code after} only, at most {@code max}: pages for the scheduled
   * re-evaluation.
   */
  List<SegmentMembership> memberships(Optional<SegmentMembership> after, int max);

  /** Keeps an event; false if an event of its tenant and id is kept already. */
  boolean recordEvent(ContactEvent event);

  /**
   * How many of a contact's events named {@code name} (compared in lower case) happened after
   * {@code from} and at or before {@code until}.
   */
  int countEvents(TenantId tenant, ContactId contact, String name, Instant from, Instant until);

  /** Forgets at most {@code max} events that happened before {@code before}; how many. */
  int purgeEventsBefore(Instant before, int max);

  /** Forgets a contact's memberships and events; how many rows. */
  int eraseContact(TenantId tenant, ContactId contact);

  /** Forgets a tenant's memberships and events; how many rows. */
  int eraseTenant(TenantId tenant);
}
