package dev.steward.consent;

import dev.steward.delivery.EmailEventListener;
import dev.steward.model.EmailEvent;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the tenant's {@linkplain SuppressionStore suppression list} from the provider's events, by
 * address: an event that names only an address (SendGrid's always do) is never skipped.
 *
 * <ul>
 *   <li>UNSUBSCRIBE: {@link SuppressionReason#UNSUBSCRIBE}; SPAM_REPORT: {@link
 *       SuppressionReason#SPAM_REPORT}.
 *   <li>GROUP_UNSUBSCRIBE: a {@link SuppressionReason#GROUP_UNSUBSCRIBE} of the event's category;
 *       GROUP_RESUBSCRIBE removes it (keeping the removal).
 *   <li>BOUNCE with attribute {@value #ATTRIBUTE_BOUNCE_TYPE} {@code bounce}: {@link
 *       SuppressionReason#HARD_BOUNCE}. A bounce of type {@code blocked}, and the BLOCKED event, do
 *       not suppress: a block says how the receiver sees the sender's reputation, which governance
 *       acts on, not that the address is bad.
 *   <li>DROPPED with attribute {@value #ATTRIBUTE_DROP_REASON} {@code Invalid}: {@link
 *       SuppressionReason#INVALID_ADDRESS}; {@code Bounced Address}, {@code Spam Reporting Address}
 *       and {@code Unsubscribed Address} (the provider's own list already holds the address): the
 *       matching reason. Drops for the message's content or the account's quota do not suppress.
 * </ul>
 *
 * <p>An event that should have mattered but cannot be applied (no tenant and no default tenant, no
 * address, a group event without a category, a bounce or drop whose type or reason is missing or
 * unknown) is counted ({@link #eventsWithoutTenant()}, {@link #eventsNotApplied()}) and logged at
 * WARN by event id, never with the address. Idempotent: each change is dated by the event (or now,
 * if the event claims a later time), so applying an event again, late or out of order changes
 * nothing that a later event has changed since.
 */
public final class SuppressionListener implements EmailEventListener {
  private static final Logger log = LoggerFactory.getLogger(SuppressionListener.class);

  /** The event attribute holding SendGrid's bounce type: {@code bounce} or {@code blocked}. */
  public static final String ATTRIBUTE_BOUNCE_TYPE = "type";

  /** The event attribute holding SendGrid's reason for a drop ({@code Invalid}, ...). */
  public static final String ATTRIBUTE_DROP_REASON = "reason";

  /** Source recorded for an UNSUBSCRIBE event. */
  public static final String SOURCE_UNSUBSCRIBE = "provider:unsubscribe";

  /** Source recorded for a GROUP_UNSUBSCRIBE event. */
  public static final String SOURCE_GROUP_UNSUBSCRIBE = "provider:group-unsubscribe";

  /** Source recorded for a GROUP_RESUBSCRIBE event's removal. */
  public static final String SOURCE_GROUP_RESUBSCRIBE = "provider:group-resubscribe";

  /** Source recorded for a SPAM_REPORT event. */
  public static final String SOURCE_SPAM_REPORT = "provider:spam-report";

  /** Source recorded for a hard BOUNCE event. */
  public static final String SOURCE_BOUNCE = "provider:bounce";

  /** Source recorded for a DROPPED event. */
  public static final String SOURCE_DROPPED = "provider:dropped";

  private final SuppressionStore store;
  private final Clock clock;
  private final Optional<TenantId> defaultTenant;
  private final LongAdder withoutTenant = new LongAdder();
  private final LongAdder notApplied = new LongAdder();

  private SuppressionListener(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.defaultTenant = Optional.ofNullable(b.defaultTenant);
  }

  /** A builder over the store, capping event times at {@code clock}'s now. */
  public static Builder builder(SuppressionStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** How many events that would have changed the list named no tenant (and no default was set). */
  public long eventsWithoutTenant() {
    return withoutTenant.sum();
  }

  /**
   * How many events that should have mattered could not be applied otherwise: no address, a group
   * event without a category, a bounce or drop whose type or reason is missing or unknown.
   */
  public long eventsNotApplied() {
    return notApplied.sum();
  }

  @Override
  public void onEvents(List<EmailEvent> events) {
    for (EmailEvent event : events) {
      switch (event.type()) {
        case UNSUBSCRIBE:
          add(event, SuppressionReason.UNSUBSCRIBE, SOURCE_UNSUBSCRIBE);
          break;
        case SPAM_REPORT:
          add(event, SuppressionReason.SPAM_REPORT, SOURCE_SPAM_REPORT);
          break;
        case GROUP_UNSUBSCRIBE:
          if (hasCategory(event)) {
            add(event, SuppressionReason.GROUP_UNSUBSCRIBE, SOURCE_GROUP_UNSUBSCRIBE);
          }
          break;
        case GROUP_RESUBSCRIBE:
          if (hasCategory(event)) {
            resubscribe(event);
          }
          break;
        case BOUNCE:
          bounce(event);
          break;
        case DROPPED:
          dropped(event);
          break;
        case BLOCKED:
          log.debug(
              "BLOCKED event {}: reputation, not the address; no suppression", event.eventId());
          break;
        default:
          break;
      }
    }
  }

  private void bounce(EmailEvent event) {
    String type = attribute(event, ATTRIBUTE_BOUNCE_TYPE);
    if ("bounce".equals(type)) {
      add(event, SuppressionReason.HARD_BOUNCE, SOURCE_BOUNCE);
    } else if ("blocked".equals(type)) {
      log.debug(
          "BOUNCE event {} of type blocked: reputation, not the address; no suppression",
          event.eventId());
    } else {
      notApplied(event, "its bounce type is " + (type == null ? "missing" : "'" + type + "'"));
    }
  }

  private void dropped(EmailEvent event) {
    String reason = attribute(event, ATTRIBUTE_DROP_REASON);
    if (reason == null) {
      notApplied(event, "it carries no drop reason");
      return;
    }
    switch (reason) {
      case "invalid":
        add(event, SuppressionReason.INVALID_ADDRESS, SOURCE_DROPPED);
        break;
      case "bounced address":
        add(event, SuppressionReason.HARD_BOUNCE, SOURCE_DROPPED);
        break;
      case "spam reporting address":
        add(event, SuppressionReason.SPAM_REPORT, SOURCE_DROPPED);
        break;
      case "unsubscribed address":
        add(event, SuppressionReason.UNSUBSCRIBE, SOURCE_DROPPED);
        break;
      default:
        if (reason.startsWith("spam content")
            || reason.startsWith("invalid smtpapi header")
            || reason.startsWith("recipient list over package quota")) {
          log.debug(
              "DROPPED event {} ({}): the message or the account, not the address; no suppression",
              event.eventId(),
              reason);
        } else {
          notApplied(event, "its drop reason '" + reason + "' is not one this listener knows");
        }
    }
  }

  private void add(EmailEvent event, SuppressionReason reason, String source) {
    Optional<TenantId> tenant = tenantOf(event);
    if (tenant.isEmpty() || !hasAddress(event)) {
      return;
    }
    Instant at = dated(event);
    Suppression s =
        reason.namesCategory()
            ? Suppression.group(
                tenant.get(), event.email().get(), event.category().orElse(null), at, source)
            : Suppression.of(tenant.get(), event.email().get(), reason, at, source);
    if (!store.add(s)) {
      log.debug("{} event {}: the list already holds it; unchanged", event.type(), event.eventId());
    }
  }

  private void resubscribe(EmailEvent event) {
    Optional<TenantId> tenant = tenantOf(event);
    if (tenant.isEmpty() || !hasAddress(event)) {
      return;
    }
    store.remove(
        Delisting.group(
            tenant.get(),
            event.email().get(),
            event.category().orElse(null),
            dated(event),
            SOURCE_GROUP_RESUBSCRIBE,
            "the recipient resubscribed to the group (event " + event.eventId() + ")"));
  }

  /** The event's time, or now if the provider's clock ran ahead: no change is dated ahead. */
  private Instant dated(EmailEvent event) {
    Instant now = clock.instant();
    return event.occurredAt().isAfter(now) ? now : event.occurredAt();
  }

  private Optional<TenantId> tenantOf(EmailEvent event) {
    if (event.tenant().isPresent()) {
      return event.tenant();
    }
    if (defaultTenant.isEmpty()) {
      withoutTenant.increment();
      log.warn(
          "{} event {} names no tenant and no default tenant is set; no suppression recorded",
          event.type(),
          event.eventId());
    }
    return defaultTenant;
  }

  private boolean hasAddress(EmailEvent event) {
    if (event.email().isPresent()) {
      return true;
    }
    notApplied(
        event,
        "it names no email address (only contact "
            + event.contact().map(Object::toString).orElse("?")
            + ")");
    return false;
  }

  private boolean hasCategory(EmailEvent event) {
    if (event.category().isPresent()) {
      return true;
    }
    notApplied(event, "it carries no category");
    return false;
  }

  private void notApplied(EmailEvent event, String why) {
    notApplied.increment();
    log.warn(
        "{} event {} not applied to the suppression list: {}", event.type(), event.eventId(), why);
  }

  /** The attribute stripped and in lower case, or null when absent or blank. */
  private static String attribute(EmailEvent event, String name) {
    String v = event.attributes().get(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    return v.strip().toLowerCase(Locale.ROOT);
  }

  /** Configures a {@link SuppressionListener}. */
  public static final class Builder {
    private final SuppressionStore store;
    private final Clock clock;
    private TenantId defaultTenant;

    private Builder(SuppressionStore store, Clock clock) {
      this.store = Objects.requireNonNull(store, "store");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The tenant of events that name none (one tenant, as in the customer-success use); none by
     * default, so such events are counted, logged at WARN and not applied: a guess could suppress
     * another tenant's recipient.
     */
    public Builder defaultTenant(TenantId tenant) {
      this.defaultTenant = Objects.requireNonNull(tenant, "tenant");
      return this;
    }

    public SuppressionListener build() {
      return new SuppressionListener(this);
    }
  }
}
