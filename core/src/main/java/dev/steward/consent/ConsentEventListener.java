package dev.steward.consent;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the provider's opt-out events into consent: an unsubscribe or a spam report opts the
 * contact out of all marketing mail; a group unsubscribe or resubscribe changes the event's
 * category. Each change is dated at the event (or now, if the event claims a later time), so a
 * repeated or late event changes nothing that the contact has since said otherwise.
 *
 * <p>The tenant is the event's; an event that names none goes to the {@linkplain
 * Builder#defaultTenant default tenant} when one is set (the single-tenant case), else it is
 * counted ({@link #eventsWithoutTenant()}) and logged at WARN by event id, and skipped: applying it
 * to a guessed tenant could opt out another tenant's contact.
 *
 * <p>An event about a contact erased at or after the event's time changes nothing: the centre keeps
 * the erased contact's tombstone (see {@link PreferenceCentre#erase}), so a batch accepted before
 * the erasure and applied after it cannot bring the contact back.
 *
 * <p>Idempotent: an event whose record (scope, action, source and time) is already among the
 * contact's records is skipped, so applying a batch again, or after a part of it, changes nothing.
 * Two limits: an event dated in the future is dated by the clock, so a replay after the clock moved
 * is not recognised (the subscription ends the same, with one more record); and of two identical
 * changes of one contact and scope in the same instant, the second is taken for a replay.
 */
public final class ConsentEventListener implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(ConsentEventListener.class);

  /** Source recorded for an UNSUBSCRIBE event. */
  public static final String SOURCE_UNSUBSCRIBE = "provider:unsubscribe";

  /** Source recorded for a SPAM_REPORT event. */
  public static final String SOURCE_SPAM_REPORT = "provider:spam-report";

  /** Source recorded for a GROUP_UNSUBSCRIBE event. */
  public static final String SOURCE_GROUP_UNSUBSCRIBE = "provider:group-unsubscribe";

  /** Source recorded for a GROUP_RESUBSCRIBE event. */
  public static final String SOURCE_GROUP_RESUBSCRIBE = "provider:group-resubscribe";

  private final PreferenceCentre centre;
  private final Clock clock;
  private final BiFunction<TenantId, EmailAddress, Optional<ContactId>> resolver;
  private final TenantId defaultTenant;
  private final LongAdder withoutTenant = new LongAdder();

  private ConsentEventListener(Builder b) {
    this.centre = b.centre;
    this.clock = b.centre.clock();
    this.resolver = b.resolver;
    this.defaultTenant = b.defaultTenant;
  }

  /**
   * A builder over the centre; without a resolver, events that name no contact are left to the
   * address suppression list ({@link SuppressionListener}), which keeps them by address.
   */
  public static Builder builder(PreferenceCentre centre) {
    return new Builder(centre);
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      switch (event.type()) {
        case UNSUBSCRIBE:
        case SPAM_REPORT:
        case GROUP_UNSUBSCRIBE:
        case GROUP_RESUBSCRIBE:
          apply(event);
          break;
        default:
          break;
      }
    }
  }

  /** How many opt-out events were skipped because they named no tenant and no default was set. */
  public long eventsWithoutTenant() {
    return withoutTenant.sum();
  }

  private void apply(EmailEvent event) {
    TenantId tenant = event.tenant().orElse(defaultTenant);
    if (tenant == null) {
      withoutTenant.increment();
      log.warn(
          "{} event {} names no tenant and no default tenant is set; consent unchanged",
          event.type(),
          event.eventId());
      return;
    }
    Optional<ContactId> contact = contactOf(tenant, event);
    if (contact.isEmpty()) {
      log.debug(
          "{} event {} names no known contact; the suppression list keeps it by address",
          event.type(),
          event.eventId());
      return;
    }
    ContactId c = contact.get();
    Instant now = clock.instant();
    // provider clocks run a little ahead at times; a change may not be dated in the future
    Instant at = event.occurredAt().isAfter(now) ? now : event.occurredAt();
    if (alreadyApplied(tenant, c, event, at)) {
      // events are applied at least once; a replay of an unsubscribe and a resubscribe of the
      // same second would otherwise flip the subscription twice more and add evidence each time
      log.debug("{} event {} was applied before; skipped", event.type(), event.eventId());
      return;
    }
    switch (event.type()) {
      case UNSUBSCRIBE:
        centre.optOut(tenant, c, SOURCE_UNSUBSCRIBE, at);
        break;
      case SPAM_REPORT:
        centre.optOut(tenant, c, SOURCE_SPAM_REPORT, at);
        break;
      case GROUP_UNSUBSCRIBE:
        if (hasCategory(event)) {
          centre.unsubscribe(tenant, c, event.category().get(), SOURCE_GROUP_UNSUBSCRIBE, at);
        }
        break;
      case GROUP_RESUBSCRIBE:
        if (hasCategory(event)) {
          centre.subscribe(tenant, c, event.category().get(), SOURCE_GROUP_RESUBSCRIBE, at);
        }
        break;
      default:
        throw new AssertionError(event.type());
    }
  }

  /** True when the contact's records already hold the record this event would write. */
  private boolean alreadyApplied(TenantId tenant, ContactId contact, EmailEvent event, Instant at) {
    String category;
    ConsentRecord.Action action;
    String source;
    switch (event.type()) {
      case UNSUBSCRIBE:
        category = null;
        action = ConsentRecord.Action.WITHDRAWN;
        source = SOURCE_UNSUBSCRIBE;
        break;
      case SPAM_REPORT:
        category = null;
        action = ConsentRecord.Action.WITHDRAWN;
        source = SOURCE_SPAM_REPORT;
        break;
      case GROUP_UNSUBSCRIBE:
        category = event.category().orElse(null);
        action = ConsentRecord.Action.WITHDRAWN;
        source = SOURCE_GROUP_UNSUBSCRIBE;
        break;
      case GROUP_RESUBSCRIBE:
        category = event.category().orElse(null);
        action = ConsentRecord.Action.GRANTED;
        source = SOURCE_GROUP_RESUBSCRIBE;
        break;
      default:
        return false;
    }
    for (ConsentRecord r : centre.records(tenant, contact)) {
      if (r.action() == action
          && r.at().equals(at)
          && r.source().equals(source)
          && Objects.equals(r.category().orElse(null), category)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCategory(EmailEvent event) {
    if (event.category().isEmpty()) {
      log.warn("{} event {} carries no category; skipped", event.type(), event.eventId());
      return false;
    }
    return true;
  }

  private Optional<ContactId> contactOf(TenantId tenant, EmailEvent event) {
    if (event.contact().isPresent()) {
      return event.contact();
    }
    if (event.email().isEmpty()) {
      return Optional.empty();
    }
    Optional<ContactId> resolved = resolver.apply(tenant, event.email().get());
    return resolved == null ? Optional.empty() : resolved;
  }

  /** Configures a {@link ConsentEventListener}. */
  public static final class Builder {
    private final PreferenceCentre centre;
    private BiFunction<TenantId, EmailAddress, Optional<ContactId>> resolver =
        (tenant, email) -> Optional.empty();
    private TenantId defaultTenant;

    private Builder(PreferenceCentre centre) {
      this.centre = Objects.requireNonNull(centre, "centre");
    }

    /** Finds the tenant's contact of an event that names only an email address; none by default. */
    public Builder resolver(BiFunction<TenantId, EmailAddress, Optional<ContactId>> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * The tenant of events that name none (one tenant, as in the customer-success use); none by
     * default, so such events are counted and skipped.
     */
    public Builder defaultTenant(TenantId tenant) {
      this.defaultTenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    public ConsentEventListener build() {
      return new ConsentEventListener(this);
    }
  }
}
