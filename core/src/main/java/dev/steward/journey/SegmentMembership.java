package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;

/**
 * Whether a contact was in the segment of a journey's segment trigger when last evaluated, and how
 * many times it has entered the segment. A contact is enrolled when it enters (member turns true),
 * under an enrolment id derived from the entry's {@code generation}, so an entry retried after a
 * crash, or decided by two instances at once, enrols once.
 *
 * @param member true while the contact matches
 * @param generation how many times the contact has entered the segment (0 before the first)
 * @param updatedAt when last changed
 */
public record SegmentMembership(
    TenantId tenant,
    ContactId contact,
    String journey,
    boolean member,
    int generation,
    Instant updatedAt) {

  public SegmentMembership {
    InvalidJourneyException.requireNonNull(tenant, "tenant of a segment membership");
    InvalidJourneyException.requireNonNull(contact, "contact of a segment membership");
    journey = JourneyDefinition.checkJourneyId(journey);
    if (generation < 0 || (member && generation == 0)) {
      throw new InvalidJourneyException(
          "segment membership of "
              + contact
              + " in '"
              + journey
              + "' has generation "
              + generation
              + (member ? " while a member; the first entry is 1" : "; generations start at 0"));
    }
    String bad = StoreLimits.instantProblem(updatedAt);
    if (bad != null) {
      throw new InvalidJourneyException(
          "update time of the segment membership of " + contact + ": " + bad);
    }
  }

  /** True if both name the same tenant, contact and journey. */
  boolean sameKey(SegmentMembership o) {
    return tenant.equals(o.tenant) && contact.equals(o.contact) && journey.equals(o.journey);
  }

  /** Compares by tenant, contact and journey: the order of {@link TriggerStore#memberships}. */
  static int compareKeys(SegmentMembership a, SegmentMembership b) {
    int c = a.tenant.value().compareTo(b.tenant.value());
    if (c == 0) {
      c = a.contact.value().compareTo(b.contact.value());
    }
    return c == 0 ? a.journey.compareTo(b.journey) : c;
  }
}
