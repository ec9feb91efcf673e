package dev.steward.frequency;

import dev.steward.consent.ConsentStore;
import dev.steward.consent.Frequency;
import dev.steward.delivery.Decision;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The one place every team's message passes through for frequency caps, quiet hours, send windows,
 * cool-downs and contact preferences (journey limits are the journey scheduler's). Build one with
 * {@link #builder}.
 *
 * <p>Times are whole seconds: instants are truncated to the second before rules are applied.
 * Messages exempt by the policy (TRANSACTIONAL by default) are allowed and not recorded, so they
 * never count against a cap.
 *
 * <p>Limits of one limiter. To count without allocating, send logs hold categories, activity names
 * and source teams as small ids that each limiter assigns on first sight and keeps for its life
 * (its own: two limiters in one JVM share no state; stores hold the names, so ids never cross
 * limiters or processes, and an in-memory store shared by two limiters translates by name). Ids are
 * assigned by {@code decide}, {@code release}, {@code recordActivity} and by reading a stored log,
 * never by {@code whatIf}. A limiter holds at most 2<sup>28</sup> distinct categories and activity
 * names together and 2<sup>24</sup>-1 distinct teams, beyond which those calls fail with {@link
 * IllegalStateException}; each name costs about 100 bytes of heap while the limiter lives. Use
 * bounded vocabularies there (not per-message or per-user values).
 *
 * <p><b>Tenants.</b> Every send log belongs to the message's tenant: the same contact or account id
 * under two tenants is counted apart. Each tenant's policy comes from a {@link CapPolicyResolver}
 * (or one policy for all), asked on every decision, so a changed policy applies to the next
 * decision without a restart; a platform-wide {@linkplain Builder#floor floor} may apply beside it.
 *
 * <p><b>Policy changes and what is kept.</b> Logs record sends, not per-policy counters, so sends
 * counted under an old policy still count under a new one, within the new policy's windows. A write
 * prunes a log's entries older than the longest of the tenant's current policy's lookback (windows,
 * cool-downs, calendar periods) and the limiter's {@linkplain Builder#retainAtLeast retention}; an
 * entry pruned is gone, so a policy lengthening a window beyond both counts only what was kept.
 * Give {@code retainAtLeast} the longest window any tenant may choose, and every tenant's change of
 * policy counts its full history; give {@link CapLedgerRetention} the same limiters (it reads their
 * {@link #lookback()}).
 *
 * <p><b>Zones.</b> A rule that reads local time reads it in the policy's fixed zone, else the
 * message's recipient zone, else the policy's default zone; a message with none of these under a
 * policy with such a rule is refused with a {@link MissingZoneException} before anything is
 * written, never read in UTC unsaid.
 *
 * <p>A {@link LimiterListener} that throws is logged at WARN and ignored; the answer stands.
 *
 * <p>Every method refuses a bad argument with an {@link InvalidLimiterArgumentException} naming it,
 * before anything is written: null, an activity name that is blank, holds a control character or is
 * longer than {@link StoreLimits#MAX_NAME_LENGTH}, or an instant outside {@link
 * StoreLimits#MIN_INSTANT} to {@link StoreLimits#MAX_INSTANT}. The limits are those of every store,
 * so an argument the in-memory store takes is one a database takes too.
 */
public interface FrequencyCapLimiter {

  /** The horizon beyond which a message with no slot is suppressed, unless told otherwise. */
  Duration DEFAULT_HORIZON = Duration.ofDays(400);

  /** A builder over {@code store} and {@code clock}. */
  static Builder builder(CapLedgerStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** The policy this limiter applies to {@code tenant}'s messages now (the floor apart). */
  CapPolicy policy(TenantId tenant);

  /** The platform-wide floor applied beside every tenant's policy, if any. */
  Optional<CapPolicy> floor();

  /**
   * How far back an entry of a send log can still change this limiter's answers: the longest of
   * {@link Builder#retainAtLeast} and the cap windows, cool-downs and calendar periods (a calendar
   * quarter when contact preferences apply) of every policy this limiter has compiled: of the one
   * policy and the floor given to the builder from the start; with a {@link CapPolicyResolver},
   * also of each tenant's policy once it was first used (so set {@code retainAtLeast}). An entry
   * older than this is pruned when the log is next written; {@link CapLedgerRetention} purges logs
   * never written again.
   */
  Duration lookback();

  /**
   * Decides a message now. ALLOW reserves the slot atomically (a SEND entry on every subject the
   * policy counts); DEFER carries the exact first instant at which every rule allows the message;
   * SUPPRESS when a cap of 0 matches or no slot exists within the horizon. Each rule that applied
   * gives one reason.
   */
  Decision decide(Message message);

  /**
   * Decides a message as of {@code now} (the send pipeline passes its own clock's instant). Use the
   * limiter's clock: a {@code now} behind other instances' reservations sees those as in the
   * future.
   */
  Decision decide(Message message, Instant now);

  /** The answer {@link #decide} would give now, without reserving anything. */
  Decision whatIf(Message message);

  /** The answer {@link #decide} would give at {@code at}, without reserving anything. */
  Decision whatIf(Message message, Instant at);

  /**
   * Undoes the reservation {@code decide} made for {@code message} at {@code decidedAt} (pass the
   * same instant). It removes only a send of exactly that second and the same kind, channel,
   * category and team; a release that finds none changes nothing, so releasing twice, or after the
   * entry was pruned, never removes another send. Two such reservations in the same second are
   * indistinguishable: each release removes one of them.
   */
  void release(Message message, Instant decidedAt);

  /**
   * Records a send that happened whatever the caps say: a message the transport answered RETRYABLE
   * (so its reservation was released) that the provider's events later show did go out. A message
   * that went out always counts, so this is never refused by a rule and may take a window over its
   * cap. It writes the entry {@code decide} would have written at {@code sentAt}; a second call for
   * the same message and the same second changes nothing, so pass a stable instant (when the
   * attempt was made, not when the event arrived). Exempt messages are not recorded, as in {@code
   * decide}. Two messages of identical kind, channel, category and team to one contact recorded in
   * the same second count once, since the log keeps no message ids.
   */
  void recordSent(Message message, Instant sentAt);

  /**
   * Records an activity (e.g. "support-ticket-closed") that starts the cool-downs naming it, in the
   * log of the subject's tenant.
   */
  void recordActivity(SubjectKey subject, String activity, Instant at);

  /** Records an activity of a contact of {@code tenant}. */
  default void recordActivity(TenantId tenant, ContactId contact, String activity, Instant at) {
    recordActivity(SubjectKey.contact(tenant, contact), activity, at);
  }

  /** Records an activity of an account of {@code tenant}. */
  default void recordActivity(TenantId tenant, AccountId account, String activity, Instant at) {
    recordActivity(SubjectKey.account(tenant, account), activity, at);
  }

  /** Builds a {@link FrequencyCapLimiter}. */
  final class Builder {
    private final CapLedgerStore store;
    private final Clock clock;
    private CapPolicy policy = CapPolicy.builder().build();
    private CapPolicyResolver resolver;
    private CapPolicy floor;
    private PreferenceSource preferences;
    private Duration horizon = DEFAULT_HORIZON;
    private Duration retainAtLeast = Duration.ZERO;
    private LimiterListener listener = LimiterListener.NOOP;

    private Builder(CapLedgerStore store, Clock clock) {
      this.store = notNull(store, "store");
      this.clock = notNull(clock, "clock");
    }

    /**
     * The one policy to apply to every tenant (default: none, so everything is allowed); replaces a
     * resolver given before.
     */
    public Builder policy(CapPolicy policy) {
      this.policy = notNull(policy, "policy");
      this.resolver = null;
      return this;
    }

    /**
     * Each tenant's policy, asked on every decision (see {@link CapPolicyResolver}); replaces a
     * policy given before.
     */
    public Builder policies(CapPolicyResolver resolver) {
      this.resolver = notNull(resolver, "resolver");
      this.policy = null;
      return this;
    }

    /**
     * A platform-wide floor applied beside every tenant's policy, the stricter rule winning (null:
     * none). Precisely, for each element:
     *
     * <ul>
     *   <li>caps and cool-downs: those of both policies apply, each on its own (so of two caps on
     *       the same window the lower one holds, and of two cool-downs after the same activity the
     *       longer one); the floor's rules are named with the prefix {@code "floor:"} in reasons;
     *   <li>quiet hours and send windows: both apply, so an instant is allowed only when it is
     *       outside both policies' quiet hours and inside both send windows;
     *   <li>concurrent journeys: the smaller of the two limits, which {@code Steward} hands to the
     *       journey scheduler (the limiter itself no longer counts journeys);
     *   <li>exemptions: a message is exempt only when both policies exempt it (by kind or
     *       priority);
     *   <li>zones: the tenant's fixed zone or default zone, else the floor's (a zone is not
     *       stricter or looser, so the tenant's knowledge of its recipients comes first).
     * </ul>
     */
    public Builder floor(CapPolicy floor) {
      this.floor = floor;
      return this;
    }

    /**
     * Keeps every log entry at least this long, whatever the current policy's windows (default:
     * zero, each policy's own lookback). With a resolver, give it the longest window any tenant may
     * choose, so that a tenant lengthening a window finds the sends made before; it costs memory
     * (or rows) in proportion.
     */
    public Builder retainAtLeast(Duration retainAtLeast) {
      if (retainAtLeast == null || retainAtLeast.isNegative()) {
        throw new InvalidPolicyException(
            "retainAtLeast: must not be negative, was " + retainAtLeast);
      }
      if (retainAtLeast.compareTo(Duration.ofDays(3660)) > 0) {
        throw new InvalidPolicyException(
            "retainAtLeast: must be at most 3660 days, was " + retainAtLeast);
      }
      this.retainAtLeast = retainAtLeast;
      return this;
    }

    /** Applies each contact's chosen frequency per category from the preference centre. */
    public Builder consent(ConsentStore consent) {
      notNull(consent, "consent");
      this.preferences = new ConsentPreferences(consent);
      return this;
    }

    /**
     * Applies each contact's chosen frequency per category, as a map from category, given the
     * message's tenant and contact.
     */
    public Builder preferences(
        BiFunction<TenantId, ContactId, Map<String, Frequency>> preferences) {
      notNull(preferences, "preferences");
      this.preferences =
          (tenant, contact, category) -> {
            Map<String, Frequency> map = preferences.apply(tenant, contact);
            return map == null ? null : map.get(category);
          };
      return this;
    }

    /** How far ahead a slot is looked for before suppressing (default 400 days). */
    public Builder horizon(Duration horizon) {
      if (horizon == null || horizon.isNegative() || horizon.isZero()) {
        throw new InvalidPolicyException("horizon: must be positive, was " + horizon);
      }
      if (horizon.compareTo(Duration.ofDays(3660)) > 0) {
        throw new InvalidPolicyException("horizon: must be at most 3660 days, was " + horizon);
      }
      this.horizon = horizon;
      return this;
    }

    /** Observes decisions (default: none). */
    public Builder listener(LimiterListener listener) {
      this.listener = notNull(listener, "listener");
      return this;
    }

    private static <T> T notNull(T value, String argument) {
      if (value == null) {
        throw new InvalidLimiterArgumentException(argument + " must not be null");
      }
      return value;
    }

    /** The limiter, with the policy and options given. */
    public FrequencyCapLimiter build() {
      CapPolicyResolver r = resolver != null ? resolver : CapPolicyResolver.of(policy);
      return new DefaultFrequencyCapLimiter(
          store, clock, r, policy, floor, preferences, horizon, retainAtLeast, listener);
    }
  }
}
