package dev.steward.journey;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.util.Optional;

/**
 * What the step (or the enrolment) running on this thread has read from the journey store already,
 * so that the hooks it calls on the same thread (the analytics' dispatch listener, the calendar's
 * sync) do not read it again: on a database each read is a statement. Only reads whose answer the
 * step itself acts on are shared: the enrolment as the run loaded it (its journey and version,
 * which a step does not change) and the contact's profile the step used. A read that checks for a
 * change made meanwhile (the calendar's read after its write) still goes to the store.
 *
 * <p>Opened with {@link #open} in a try-with-resources on the running thread; a hook on another
 * thread (an asynchronous listener) finds nothing and reads the store as before.
 */
final class StepScope implements AutoCloseable {
  private static final ThreadLocal<StepScope> CURRENT = new ThreadLocal<>();

  private final StepScope outer;
  private Enrolment enrolment;
  private ContactProfile profile;

  /**
   * The enrolments a batch of steps read, by tenant and id, while the batch hands its planned
   * messages to the pipeline (whose listeners ask for them); empty in a step's own scope.
   */
  private java.util.Map<java.util.List<String>, Enrolment> batch = java.util.Map.of();

  private StepScope(StepScope outer) {
    this.outer = outer;
  }

  /** Opens a scope on this thread (a run nested in another's, as a test may, nests its scope). */
  static StepScope open() {
    StepScope s = new StepScope(CURRENT.get());
    CURRENT.set(s);
    return s;
  }

  /** The run's step is now that of {@code e}: what the previous step read is forgotten. */
  static void at(Enrolment e) {
    StepScope s = CURRENT.get();
    if (s != null) {
      s.enrolment = e;
      s.profile = null;
    }
  }

  /**
   * The enrolments a batch of steps read: while this scope is open, before any of the steps runs,
   * {@link #enrolment} answers each of them.
   */
  static void sawAll(java.util.Collection<Enrolment> read) {
    StepScope s = CURRENT.get();
    if (s != null) {
      java.util.Map<java.util.List<String>, Enrolment> byKey = new java.util.HashMap<>();
      read.forEach(e -> byKey.put(java.util.List.of(e.tenant().value(), e.id()), e));
      s.batch = byKey;
    }
  }

  /** Remembers the profile the step read, if it is its enrolment's contact's. */
  static void saw(ContactProfile p) {
    StepScope s = CURRENT.get();
    if (s != null
        && s.enrolment != null
        && s.enrolment.tenant().equals(p.tenant())
        && s.enrolment.contact().equals(p.contact())) {
      s.profile = p;
    }
  }

  /** The enrolment whose step runs, as the run loaded it, if it is {@code id} of {@code tenant}. */
  static Optional<Enrolment> enrolment(TenantId tenant, String id) {
    StepScope s = CURRENT.get();
    if (s == null) {
      return Optional.empty();
    }
    if (s.enrolment != null && s.enrolment.tenant().equals(tenant) && s.enrolment.id().equals(id)) {
      return Optional.of(s.enrolment);
    }
    return s.batch.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(s.batch.get(java.util.List.of(tenant.value(), id)));
  }

  /**
   * The enrolment whose step runs, as the run loaded it, if {@code messageId} is one of its
   * messages' ids in the journeys' scheme ({@link JourneyMessageIds}) and it is of {@code tenant}.
   */
  static Optional<Enrolment> enrolmentOfMessage(TenantId tenant, String messageId) {
    StepScope s = CURRENT.get();
    return s != null
            && s.enrolment != null
            && JourneyMessageIds.seqOf(s.enrolment.id(), messageId) >= 0
            && s.enrolment.tenant().equals(tenant)
        ? Optional.of(s.enrolment)
        : Optional.empty();
  }

  /** The profile the running step read, if it is that of {@code contact} of {@code tenant}. */
  static Optional<ContactProfile> profile(TenantId tenant, ContactId contact) {
    StepScope s = CURRENT.get();
    return s != null
            && s.profile != null
            && s.profile.tenant().equals(tenant)
            && s.profile.contact().equals(contact)
        ? Optional.of(s.profile)
        : Optional.empty();
  }

  @Override
  public void close() {
    if (outer == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(outer);
    }
  }
}
