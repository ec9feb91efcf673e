package dev.steward.consent;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the provider's opt-out events into consent: an unsubscribe or a spam report opts the
 * contact out of all marketing mail; a group unsubscribe or resubscribe changes the event's
 * category. Each change is dated at the event (or now, if the event claims a later time), so a
 * repeated or late event changes nothing that the contact has since said otherwise.
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
  private final Function<EmailAddress, Optional<ContactId>> resolver;

  private ConsentEventListener(Builder b) {
    this.centre = b.centre;
    this.clock = b.centre.clock();
    this.resolver = b.resolver;
  }

  /** A builder over the centre; without a resolver, events that name no contact are skipped. */
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

  private void apply(EmailEvent event) {
    Optional<ContactId> contact = contactOf(event);
    if (contact.isEmpty()) {
      log.debug("{} event {} names no known contact; skipped", event.type(), event.eventId());
      return;
    }
    ContactId c = contact.get();
    Instant now = clock.instant();
    // provider clocks run a little ahead at times; a change may not be dated in the future
    Instant at = event.occurredAt().isAfter(now) ? now : event.occurredAt();
    if (alreadyApplied(c, event, at)) {
      // events are applied at least once; a replay of an unsubscribe and a resubscribe of the
      // same second would otherwise flip the subscription twice more and add evidence each time
      log.debug("{} event {} was applied before; skipped", event.type(), event.eventId());
      return;
    }
    switch (event.type()) {
      case UNSUBSCRIBE:
        centre.optOut(c, SOURCE_UNSUBSCRIBE, at);
        break;
      case SPAM_REPORT:
        centre.optOut(c, SOURCE_SPAM_REPORT, at);
        break;
      case GROUP_UNSUBSCRIBE:
        if (hasCategory(event)) {
          centre.unsubscribe(c, event.category(), SOURCE_GROUP_UNSUBSCRIBE, at);
        }
        break;
      case GROUP_RESUBSCRIBE:
        if (hasCategory(event)) {
          centre.subscribe(c, event.category(), SOURCE_GROUP_RESUBSCRIBE, at);
        }
        break;
      default:
        throw new AssertionError(event.type());
    }
  }

  /** True when the contact's records already hold the record this event would write. */
  private boolean alreadyApplied(ContactId contact, EmailEvent event, Instant at) {
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
        category = event.category();
        action = ConsentRecord.Action.WITHDRAWN;
        source = SOURCE_GROUP_UNSUBSCRIBE;
        break;
      case GROUP_RESUBSCRIBE:
        category = event.category();
        action = ConsentRecord.Action.GRANTED;
        source = SOURCE_GROUP_RESUBSCRIBE;
        break;
      default:
        return false;
    }
    for (ConsentRecord r : centre.records(contact)) {
      if (r.action() == action
          && r.at().equals(at)
          && r.source().equals(source)
          && Objects.equals(r.category(), category)) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasCategory(EmailEvent event) {
    if (event.category() == null) {
      log.warn("{} event {} carries no category; skipped", event.type(), event.eventId());
      return false;
    }
    return true;
  }

  private Optional<ContactId> contactOf(EmailEvent event) {
    if (event.contact() != null) {
      return Optional.of(event.contact());
    }
    if (event.email() == null) {
      return Optional.empty();
    }
    Optional<ContactId> resolved = resolver.apply(event.email());
    return resolved == null ? Optional.empty() : resolved;
  }

  /** Configures a {@link ConsentEventListener}. */
  public static final class Builder {
    private final PreferenceCentre centre;
    private Function<EmailAddress, Optional<ContactId>> resolver = email -> Optional.empty();

    private Builder(PreferenceCentre centre) {
      this.centre = Objects.requireNonNull(centre, "centre");
    }

    /** Finds the contact of an event that names only an email address; none by default. */
    public Builder resolver(Function<EmailAddress, Optional<ContactId>> resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    public ConsentEventListener build() {
      return new ConsentEventListener(this);
    }
  }
}
