package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A journey store that passes every call on (its unit and set-based advance too), for tests that
 * watch or fail one call.
 */
public class DelegatingJourneyStore implements JourneyStore {
  private final JourneyStore d;

  public DelegatingJourneyStore(JourneyStore d) {
    this.d = d;
  }

  @Override
  public void putContact(ContactProfile profile) {
    d.putContact(profile);
  }

  @Override
  public Optional<ContactProfile> contact(TenantId tenant, ContactId contact) {
    return d.contact(tenant, contact);
  }

  @Override
  public List<ContactProfile> contacts(Optional<ContactProfile> after, int max) {
    return d.contacts(after, max);
  }

  @Override
  public java.util.Map<ContactId, ContactProfile> contacts(
      TenantId tenant, java.util.Collection<ContactId> contacts) {
    return d.contacts(tenant, contacts);
  }

  @Override
  public java.util.Map<String, Enrolment> findAll(
      TenantId tenant, java.util.Collection<String> enrolmentIds) {
    return d.findAll(tenant, enrolmentIds);
  }

  @Override
  public boolean setAttribute(
      TenantId tenant, ContactId contact, String name, Optional<String> value) {
    return d.setAttribute(tenant, contact, name, value);
  }

  @Override
  public EnrolResult enrol(Enrolment enrolment, ReEntry reEntry, int maxActive) {
    return d.enrol(enrolment, reEntry, maxActive);
  }

  @Override
  public Optional<Enrolment> find(TenantId tenant, String enrolmentId) {
    return d.find(tenant, enrolmentId);
  }

  @Override
  public List<Enrolment> enrolments(TenantId tenant, ContactId contact) {
    return d.enrolments(tenant, contact);
  }

  @Override
  public boolean advance(Enrolment next, HistoryEntry entry) {
    return d.advance(next, entry);
  }

  @Override
  public List<HistoryEntry> history(TenantId tenant, String enrolmentId) {
    return d.history(tenant, enrolmentId);
  }

  @Override
  public List<Enrolment> dueBefore(Instant before, Optional<Enrolment> after, int max) {
    return d.dueBefore(before, after, max);
  }

  @Override
  public boolean recordSignal(MessageSignal signal) {
    return d.recordSignal(signal);
  }

  @Override
  public List<MessageSignal> signals(TenantId tenant, String enrolmentId, MessageId message) {
    return d.signals(tenant, enrolmentId, message);
  }

  @Override
  public int eraseContact(TenantId tenant, ContactId contact) {
    return d.eraseContact(tenant, contact);
  }

  @Override
  public int eraseTenant(TenantId tenant) {
    return d.eraseTenant(tenant);
  }

  @Override
  public List<Boolean> advanceAll(List<Advance> changes) {
    return d.advanceAll(changes);
  }

  @Override
  public <X> X together(java.util.function.Supplier<X> writes) {
    return d.together(writes);
  }

  @Override
  public boolean holdsInUnit(Enrolment e) {
    return d.holdsInUnit(e);
  }
}
