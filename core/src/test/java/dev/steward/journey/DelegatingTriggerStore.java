package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A trigger store that passes every call on, for tests that make one call fail. */
class DelegatingTriggerStore implements TriggerStore {
  private final TriggerStore d;

  DelegatingTriggerStore(TriggerStore d) {
    this.d = d;
  }

  @Override
  public Optional<SegmentMembership> membership(TenantId t, ContactId c, String j) {
    return d.membership(t, c, j);
  }

  @Override
  public boolean replaceMembership(Optional<SegmentMembership> e, SegmentMembership n) {
    return d.replaceMembership(e, n);
  }

  @Override
  public List<SegmentMembership> memberships(Optional<SegmentMembership> after, int max) {
    return d.memberships(after, max);
  }

  @Override
  public boolean recordEvent(ContactEvent event) {
    return d.recordEvent(event);
  }

  @Override
  public int countEvents(TenantId t, ContactId c, String name, Instant from, Instant until) {
    return d.countEvents(t, c, name, from, until);
  }

  @Override
  public int purgeEventsBefore(Instant before, int max) {
    return d.purgeEventsBefore(before, max);
  }

  @Override
  public int eraseContact(TenantId t, ContactId c) {
    return d.eraseContact(t, c);
  }

  @Override
  public int eraseTenant(TenantId t) {
    return d.eraseTenant(t);
  }
}
