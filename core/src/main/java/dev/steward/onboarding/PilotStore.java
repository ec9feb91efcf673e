package dev.steward.onboarding;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the pilot keeps each tenant's warm-up {@link PilotState} and its daily counts, so that
 * several instances share one stage and one count: {@link #reserve} counts a message only while the
 * day holds fewer than a limit, atomically across instances for a JDBC store, and remembers the
 * message so that {@link #release} and {@link #confirm} act once per message. A null argument is
 * refused with an {@link InvalidOnboardingInputException} before anything is written.
 * Implementations: {@link InMemoryPilotStore}, and {@code dev.steward.jdbc.JdbcPilotStore}.
 */
public interface PilotStore {

  /** The tenant's pilot state, if one was ever stored. */
  Optional<PilotState> find(TenantId tenant);

  /**
   * Applies {@code change} to the tenant's state ({@link PilotState#initial} at {@code now} if none
   * is stored) and stores its result, atomically with respect to other updates of the tenant;
   * returns the result. The change may run more than once; a change returning another tenant's
   * state, or null, is refused and nothing is written.
   */
  PilotState update(TenantId tenant, Instant now, UnaryOperator<PilotState> change);

  /**
   * Counts {@code message} against the tenant's {@code day} if the day holds fewer than {@code
   * limit} messages; a message already counted on that day is granted again without counting it
   * twice, and the store remembers that one more dispatch holds it (one message dispatched twice at
   * once). Atomic across instances. One call is one hold however its store carries it out: a JDBC
   * transaction run again after its commit's acknowledgement was lost adds no second hold.
   *
   * @throws InvalidOnboardingInputException if {@code limit} is negative
   */
  DailyReservation reserve(TenantId tenant, LocalDate day, MessageId message, long limit);

  /**
   * Gives back one dispatch's hold of {@code message} on the tenant's {@code day}: the message
   * leaves the day's count with its last hold, so a dispatch that did not send never uncounts the
   * one that did. True if the message was taken off the count.
   */
  boolean release(TenantId tenant, LocalDate day, MessageId message);

  /**
   * Counts {@code message} on the tenant's {@code day} whatever the limit (it went out after all);
   * true if it was not counted yet. Counts a message once however often it is confirmed.
   */
  boolean confirm(TenantId tenant, LocalDate day, MessageId message);

  /** How many messages the tenant's {@code day} holds. */
  long count(TenantId tenant, LocalDate day);

  /** Forgets the tenant's days before {@code day} (counts and messages); how many days went. */
  int purgeBefore(TenantId tenant, LocalDate day);

  /** Deletes the tenant's state and days; true if there was anything. */
  boolean eraseTenant(TenantId tenant);
}
