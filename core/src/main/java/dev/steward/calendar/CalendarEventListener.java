package dev.steward.calendar;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.EmailEvent;
import dev.steward.model.EmailEventType;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records each SPAM_REPORT event as a complaint on the {@link CommunicationCalendar}, so the
 * complaint cool-down rule keeps later communications away. The complaint belongs to the event's
 * tenant (or, for an event that names none, the builder's {@link Builder#defaultTenant}); the
 * account and contact come from the event, else from the tenant's calendar entry of the event's
 * message, else from the resolvers, which are asked within the tenant. Events whose tenant or
 * account stays unknown are skipped, with a WARN line naming the event id. A repeated event records
 * the same complaint once.
 *
 * <p>A spam report about a contact erased at or after the report's time is skipped (DEBUG line): an
 * event accepted before the erasure and applied after it must not write the erased contact back
 * into the calendar. The listener learns erasure times from {@link Builder#erasedAt} (wired to the
 * consent store's tombstones by {@code Steward}); with none set, no contact counts as erased.
 */
public final class CalendarEventListener implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(CalendarEventListener.class);

  private final CommunicationCalendar calendar;
  private final BiFunction<TenantId, EmailAddress, Optional<ContactId>> contactResolver;
  private final BiFunction<TenantId, ContactId, Optional<AccountId>> accountResolver;
  private final BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt;
  private final TenantId defaultTenant;

  private CalendarEventListener(Builder b) {
    this.calendar = b.calendar;
    this.defaultTenant = b.defaultTenant;
    this.contactResolver = b.contactResolver;
    this.accountResolver = b.accountResolver;
    this.erasedAt = b.erasedAt;
  }

  /** A listener over the calendar with no resolvers. */
  public static CalendarEventListener of(CommunicationCalendar calendar) {
    return builder(calendar).build();
  }

  /** A builder over the calendar. */
  public static Builder builder(CommunicationCalendar calendar) {
    return new Builder(calendar);
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      if (event.type() == EmailEventType.SPAM_REPORT) {
        complaint(event);
      }
    }
  }

  private void complaint(EmailEvent event) {
    TenantId tenant = event.tenant().orElse(defaultTenant);
    if (tenant == null) {
      log.warn(
          "spam report {} names no tenant and the listener has no default tenant; not recorded",
          event.eventId());
      return;
    }
    AccountId account = event.account().orElse(null);
    ContactId contact = event.contact().orElse(null);
    if ((account == null || contact == null) && event.messageId().isPresent()) {
      Optional<CalendarEntry> sent = calendar.find(tenant, event.messageId().get().value());
      if (sent.isPresent()) {
        account = account != null ? account : sent.get().account();
        contact = contact != null ? contact : sent.get().contact().orElse(null);
      }
    }
    if (contact == null && event.email().isPresent()) {
      contact = orEmpty(contactResolver.apply(tenant, event.email().get())).orElse(null);
    }
    if (account == null && contact != null) {
      account = orEmpty(accountResolver.apply(tenant, contact)).orElse(null);
    }
    if (contact != null) {
      Optional<Instant> erased = orEmpty(erasedAt.apply(tenant, contact));
      if (erased.isPresent() && !event.occurredAt().isAfter(erased.get())) {
        log.debug(
            "spam report {} is about contact {}/{}, erased at {}; not recorded",
            event.eventId(),
            tenant,
            contact,
            erased.get());
        return;
      }
    }
    if (account == null) {
      log.warn(
          "spam report {} of tenant {} names no known account; not recorded",
          event.eventId(),
          tenant);
      return;
    }
    calendar.recordComplaint(tenant, account, contact, event.occurredAt());
  }

  private static <T> Optional<T> orEmpty(Optional<T> value) {
    return value == null ? Optional.empty() : value;
  }

  /** Configures a {@link CalendarEventListener}. */
  public static final class Builder {
    private final CommunicationCalendar calendar;
    private BiFunction<TenantId, EmailAddress, Optional<ContactId>> contactResolver =
        (t, e) -> Optional.empty();
    private BiFunction<TenantId, ContactId, Optional<AccountId>> accountResolver =
        (t, c) -> Optional.empty();
    private BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt =
        (t, c) -> Optional.empty();
    private TenantId defaultTenant;

    private Builder(CommunicationCalendar calendar) {
      this.calendar = Objects.requireNonNull(calendar, "calendar");
    }

    /** Finds the tenant's contact of an event that names only an email address; none by default. */
    public Builder contactResolver(
        BiFunction<TenantId, EmailAddress, Optional<ContactId>> resolver) {
      this.contactResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * Finds the account of the tenant's contact when the event does not name it; none by default.
     */
    public Builder accountResolver(BiFunction<TenantId, ContactId, Optional<AccountId>> resolver) {
      this.accountResolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /**
     * When the tenant's contact was erased, if it was (for instance {@code (t, c) ->
     * preferenceCentre.consent(t, c).erasedAt()}); a spam report dated at or before it is not
     * recorded. None by default.
     */
    public Builder erasedAt(BiFunction<TenantId, ContactId, Optional<Instant>> erasedAt) {
      this.erasedAt = Objects.requireNonNull(erasedAt, "erasedAt");
      return this;
    }

    /**
     * The tenant of events that name none (one tenant, as in the customer-success use); none by
     * default, and such events are then skipped with a WARN line.
     */
    public Builder defaultTenant(TenantId tenant) {
      this.defaultTenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    public CalendarEventListener build() {
      return new CalendarEventListener(this);
    }
  }
}
