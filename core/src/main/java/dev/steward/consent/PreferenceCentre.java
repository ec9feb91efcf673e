package dev.steward.consent;

import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each contact wants: a global opt-out of non-account mail, per-category subscriptions with a
 * chosen {@link Frequency}, double opt-in, and the consent records that prove it; plus erasure.
 *
 * <p>Every change validates its input before anything is stored and is idempotent: repeating a
 * change that already holds stores nothing and records no second piece of evidence. Changes dated
 * in the past (from provider events or imports) that are older than the newest record of the same
 * scope are ignored, so a late, repeated unsubscribe event never undoes a later opt-in.
 *
 * <p>Erasure leaves a tombstone: {@link #erase} replaces everything the store holds about the
 * contact with its erasure time ({@link ContactConsent#erasedAt()}). Every change given the time it
 * happened ({@code at}: {@code optOut}, {@code optIn}, {@code subscribe}, {@code unsubscribe},
 * {@code confirmConsent}) is then ignored, with a DEBUG line, unless it happened after the erasure:
 * a provider event accepted before the erasure and applied after it cannot bring the contact back.
 * Changes dated by the centre's clock (the overloads without {@code at}, {@code chooseFrequency},
 * {@code requestConsent}) are the application acting now, after the erasure returned, and apply. A
 * change that applies keeps the erasure time, so older late events stay ignored. Queries see an
 * erased contact as one that has said nothing.
 */
public final class PreferenceCentre {
  private static final Logger log = LoggerFactory.getLogger(PreferenceCentre.class);

  /** The source recorded for a double opt-in confirmation. */
  public static final String DOUBLE_OPT_IN_SOURCE = "double-opt-in";

  private final ConsentStore store;
  private final Clock clock;
  private final List<ErasureListener> erasureListeners;

  private PreferenceCentre(Builder b) {
    this.store = b.store;
    this.clock = b.clock;
    this.erasureListeners = List.copyOf(b.erasureListeners);
  }

  /** A builder over the store, dating changes by {@code clock}. */
  public static Builder builder(ConsentStore store, Clock clock) {
    return new Builder(store, clock);
  }

  /** A centre over the store and clock, with no erasure listeners. */
  public static PreferenceCentre of(ConsentStore store, Clock clock) {
    return builder(store, clock).build();
  }

  // ---- global opt-out ------------------------------------------------------------------------

  /** Opts the contact out of all non-account mail now; no change when already opted out. */
  public ContactConsent optOut(TenantId tenant, ContactId contact, String source) {
    return optOut(tenant, contact, source, clock.instant(), false);
  }

  /**
   * Opts the contact out as of {@code at} (not in the future); ignored when stale or not after the
   * contact's erasure.
   */
  public ContactConsent optOut(TenantId tenant, ContactId contact, String source, Instant at) {
    return optOut(tenant, contact, source, at, true);
  }

  private ContactConsent optOut(
      TenantId tenant, ContactId contact, String source, Instant at, boolean dated) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String src = Consents.source(source);
    Consents.notAfter(at, clock.instant(), "at");
    return change(
        tenant,
        contact,
        dated ? at : null,
        "opt-out",
        c -> {
          if (Consents.stale(c, null, at)) {
            return c;
          }
          if (c.optedOut()) {
            return dated ? confirmed(c, null, ConsentRecord.Action.WITHDRAWN, src, at) : c;
          }
          log.debug("contact {}/{} opts out of marketing mail (source {})", tenant, contact, src);
          return new ContactConsent(
              tenant,
              contact,
              Optional.of(at),
              c.subscriptions(),
              Consents.with(
                  c.records(), ConsentRecord.of(null, ConsentRecord.Action.WITHDRAWN, src, at)),
              c.erasedAt());
        });
  }

  /**
   * Opts the contact back in (or records a first global consent) now; no change when the newest
   * global record already grants consent.
   */
  public ContactConsent optIn(TenantId tenant, ContactId contact, String source) {
    return optIn(tenant, contact, source, clock.instant(), false);
  }

  /**
   * Opts the contact in as of {@code at} (not in the future); ignored when stale or not after the
   * contact's erasure.
   */
  public ContactConsent optIn(TenantId tenant, ContactId contact, String source, Instant at) {
    return optIn(tenant, contact, source, at, true);
  }

  private ContactConsent optIn(
      TenantId tenant, ContactId contact, String source, Instant at, boolean dated) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String src = Consents.source(source);
    Consents.notAfter(at, clock.instant(), "at");
    return change(
        tenant,
        contact,
        dated ? at : null,
        "opt-in",
        c -> {
          boolean granted =
              Consents.latest(c, null)
                  .map(r -> r.action() != ConsentRecord.Action.WITHDRAWN)
                  .orElse(false);
          if ((!c.optedOut() && granted) || Consents.stale(c, null, at)) {
            return c;
          }
          log.debug("contact {}/{} opts in to marketing mail (source {})", tenant, contact, src);
          return new ContactConsent(
              tenant,
              contact,
              Optional.empty(),
              c.subscriptions(),
              Consents.with(
                  c.records(), ConsentRecord.of(null, ConsentRecord.Action.GRANTED, src, at)),
              c.erasedAt());
        });
  }

  // ---- categories ----------------------------------------------------------------------------

  /** Subscribes the contact to a category now, keeping a chosen frequency (else AS_IT_HAPPENS). */
  public ContactConsent subscribe(
      TenantId tenant, ContactId contact, String category, String source) {
    return subscribe(tenant, contact, category, null, source, clock.instant(), false);
  }

  /**
   * Subscribes the contact to a category with a frequency now; when already subscribed only the
   * frequency changes (no second record).
   */
  public ContactConsent subscribe(
      TenantId tenant, ContactId contact, String category, Frequency frequency, String source) {
    Consents.required(frequency, "frequency");
    return subscribe(tenant, contact, category, frequency, source, clock.instant(), false);
  }

  /**
   * Subscribes the contact as of {@code at} (not in the future); ignored when stale or not after
   * the contact's erasure.
   */
  public ContactConsent subscribe(
      TenantId tenant, ContactId contact, String category, String source, Instant at) {
    return subscribe(tenant, contact, category, null, source, at, true);
  }

  private ContactConsent subscribe(
      TenantId tenant,
      ContactId contact,
      String category,
      Frequency frequency,
      String source,
      Instant at,
      boolean dated) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String cat = Consents.category(category);
    String src = Consents.source(source);
    Consents.notAfter(at, clock.instant(), "at");
    return change(
        tenant,
        contact,
        dated ? at : null,
        "subscription to '" + cat + "'",
        c -> {
          Optional<Subscription> current = c.subscription(cat);
          if (Consents.stale(c, cat, at)) {
            return c;
          }
          if (current.isPresent() && current.get().subscribed()) {
            if (frequency == null || frequency == current.get().frequency()) {
              return dated ? confirmed(c, cat, ConsentRecord.Action.GRANTED, src, at) : c;
            }
            return withSubscription(c, new Subscription(cat, true, frequency, at), c.records());
          }
          Frequency f =
              frequency != null
                  ? frequency
                  : current.map(Subscription::frequency).orElse(Frequency.AS_IT_HAPPENS);
          log.debug("contact {}/{} subscribes to '{}' (source {})", tenant, contact, cat, src);
          return withSubscription(
              c,
              new Subscription(cat, true, f, at),
              Consents.with(
                  c.records(), ConsentRecord.of(cat, ConsentRecord.Action.GRANTED, src, at)));
        });
  }

  /** Unsubscribes the contact from a category now; no change when already unsubscribed. */
  public ContactConsent unsubscribe(
      TenantId tenant, ContactId contact, String category, String source) {
    return unsubscribe(tenant, contact, category, source, clock.instant(), false);
  }

  /**
   * Unsubscribes the contact as of {@code at} (not in the future); ignored when stale or not after
   * the contact's erasure.
   */
  public ContactConsent unsubscribe(
      TenantId tenant, ContactId contact, String category, String source, Instant at) {
    return unsubscribe(tenant, contact, category, source, at, true);
  }

  private ContactConsent unsubscribe(
      TenantId tenant,
      ContactId contact,
      String category,
      String source,
      Instant at,
      boolean dated) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String cat = Consents.category(category);
    String src = Consents.source(source);
    Consents.notAfter(at, clock.instant(), "at");
    return change(
        tenant,
        contact,
        dated ? at : null,
        "unsubscription from '" + cat + "'",
        c -> {
          Optional<Subscription> current = c.subscription(cat);
          if (Consents.stale(c, cat, at)) {
            return c;
          }
          if (current.isPresent() && !current.get().subscribed()) {
            return dated ? confirmed(c, cat, ConsentRecord.Action.WITHDRAWN, src, at) : c;
          }
          Frequency f = current.map(Subscription::frequency).orElse(Frequency.AS_IT_HAPPENS);
          log.debug("contact {}/{} unsubscribes from '{}' (source {})", tenant, contact, cat, src);
          return withSubscription(
              c,
              new Subscription(cat, false, f, at),
              Consents.with(
                  c.records(), ConsentRecord.of(cat, ConsentRecord.Action.WITHDRAWN, src, at)));
        });
  }

  /**
   * Sets how often the contact wants mail of a category, keeping whether they are subscribed. A
   * frequency is a preference, not consent: no record is written (use {@link #subscribe} for that).
   */
  public ContactConsent chooseFrequency(
      TenantId tenant, ContactId contact, String category, Frequency frequency) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String cat = Consents.category(category);
    Consents.required(frequency, "frequency");
    Instant now = clock.instant();
    return change(
        tenant,
        contact,
        null,
        "frequency of '" + cat + "'",
        c -> {
          Optional<Subscription> current = c.subscription(cat);
          if (current.isPresent() && current.get().frequency() == frequency) {
            return c;
          }
          boolean subscribed = current.map(Subscription::subscribed).orElse(true);
          return withSubscription(
              c, new Subscription(cat, subscribed, frequency, now), c.records());
        });
  }

  // ---- double opt-in -------------------------------------------------------------------------

  /**
   * Records a request for consent to a category (the double opt-in mail is on its way) and
   * subscribes the contact; the category counts as confirmed only after {@link #confirmConsent}. No
   * change when a request or confirmation is already the category's newest record.
   */
  public ContactConsent requestConsent(
      TenantId tenant, ContactId contact, String category, String source) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String cat = Consents.category(category);
    String src = Consents.source(source);
    Instant now = clock.instant();
    return change(
        tenant,
        contact,
        null,
        "consent request for '" + cat + "'",
        c -> {
          boolean pendingOrConfirmed =
              Consents.latest(c, cat)
                  .map(r -> r.action() != ConsentRecord.Action.WITHDRAWN)
                  .orElse(false);
          boolean subscribed = c.subscription(cat).map(Subscription::subscribed).orElse(false);
          if (pendingOrConfirmed && subscribed) {
            return c;
          }
          Frequency f =
              c.subscription(cat).map(Subscription::frequency).orElse(Frequency.AS_IT_HAPPENS);
          return withSubscription(
              c,
              new Subscription(cat, true, f, now),
              Consents.with(
                  c.records(), ConsentRecord.of(cat, ConsentRecord.Action.GRANTED, src, now)));
        });
  }

  /**
   * Records that the contact confirmed the pending request for a category at {@code at} (not before
   * the request, not in the future). Confirming twice stores nothing more; a confirmation not after
   * the contact's erasure is ignored.
   *
   * @throws InvalidConsentException when no request is pending for the category
   */
  public ContactConsent confirmConsent(
      TenantId tenant, ContactId contact, String category, Instant at) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    String cat = Consents.category(category);
    Consents.notAfter(at, clock.instant(), "at");
    return change(
        tenant,
        contact,
        at,
        "confirmation of '" + cat + "'",
        c -> {
          ConsentRecord last =
              Consents.latest(c, cat)
                  .orElseThrow(
                      () ->
                          new InvalidConsentException(
                              "category '" + cat + "': no consent request to confirm"));
          if (last.action() == ConsentRecord.Action.CONFIRMED) {
            return c;
          }
          if (last.action() != ConsentRecord.Action.GRANTED) {
            throw new InvalidConsentException(
                "category '"
                    + cat
                    + "': consent was withdrawn at "
                    + last.at()
                    + "; request it again before confirming");
          }
          if (at.isBefore(last.at())) {
            throw new InvalidConsentException(
                "at " + at + " is before the consent request of " + last.at());
          }
          Frequency f =
              c.subscription(cat).map(Subscription::frequency).orElse(Frequency.AS_IT_HAPPENS);
          log.debug("contact {}/{} confirms consent to '{}'", tenant, contact, cat);
          return withSubscription(
              c,
              new Subscription(cat, true, f, at),
              Consents.with(
                  c.records(),
                  ConsentRecord.of(cat, ConsentRecord.Action.CONFIRMED, DOUBLE_OPT_IN_SOURCE, at)));
        });
  }

  // ---- erasure -------------------------------------------------------------------------------

  /**
   * Replaces the contact's consent with a tombstone dated by the centre's clock ({@link
   * ContactConsent#tombstone}: the erasure time and nothing else) and runs every erasure listener,
   * even when one fails; true if the consent store held anything besides a tombstone. Only the
   * contact of this tenant is erased. The tombstone is written even for a contact the store did not
   * know, so that changes dated before the erasure (late provider events) stay ignored; it is
   * removed only with the tenant ({@link #eraseTenant}) or by {@link ConsentStore#erase}.
   *
   * @throws ErasureException when a listener failed (after all were run); erasing again is safe
   */
  public boolean erase(TenantId tenant, ContactId contact) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    Instant now = clock.instant();
    AtomicBoolean said = new AtomicBoolean();
    store.update(
        tenant,
        contact,
        c -> {
          said.set(Consents.said(c));
          // erased again on an instance whose clock is behind: keep the later time
          Instant erasedAt = c.erasedAt().filter(e -> e.isAfter(now)).orElse(now);
          return ContactConsent.tombstone(tenant, contact, erasedAt);
        });
    boolean existed = said.get();
    List<RuntimeException> failures = new ArrayList<>();
    for (ErasureListener listener : erasureListeners) {
      try {
        listener.erase(tenant, contact);
      } catch (RuntimeException e) {
        log.warn("erasure listener {} failed for contact {}/{}", listener, tenant, contact, e);
        failures.add(e);
      }
    }
    log.info(
        "erased contact {}/{} ({} erasure listeners)", tenant, contact, erasureListeners.size());
    if (!failures.isEmpty()) {
      ErasureException e =
          new ErasureException(
              "erasing contact "
                  + tenant
                  + "/"
                  + contact
                  + ": "
                  + failures.size()
                  + " of "
                  + erasureListeners.size()
                  + " erasure listeners failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
    return existed;
  }

  /**
   * Deletes the consent of every contact of the tenant, tombstones included (the tenant is gone);
   * the number of contacts removed. Idempotent. Erasure listeners are not run: a tenant is erased
   * store by store, each through its own {@code eraseTenant}.
   */
  public int eraseTenant(TenantId tenant) {
    Consents.tenant(tenant);
    int removed = store.eraseTenant(tenant);
    log.info("erased the consent of tenant {} ({} contacts)", tenant, removed);
    return removed;
  }

  // ---- queries -------------------------------------------------------------------------------

  /**
   * The contact's consent; {@link ContactConsent#empty} when nothing was recorded, and for an
   * erased contact that has said nothing since, its tombstone (empty but for {@link
   * ContactConsent#erasedAt()}).
   */
  public ContactConsent consent(TenantId tenant, ContactId contact) {
    Consents.tenant(tenant);
    Consents.contact(contact);
    return store.find(tenant, contact).orElseGet(() -> ContactConsent.empty(tenant, contact));
  }

  /** True when the contact opted out of all non-account mail. */
  public boolean isOptedOut(TenantId tenant, ContactId contact) {
    return consent(tenant, contact).optedOut();
  }

  /** True when the contact explicitly unsubscribed from the category. */
  public boolean isUnsubscribed(TenantId tenant, ContactId contact, String category) {
    return Consents.unsubscribed(consent(tenant, contact), Consents.category(category));
  }

  /** True when the category's newest consent record is a double opt-in confirmation. */
  public boolean isConfirmed(TenantId tenant, ContactId contact, String category) {
    return Consents.confirmed(consent(tenant, contact), Consents.category(category));
  }

  /** The frequency the contact chose for a category, if any. */
  public Optional<Frequency> frequency(TenantId tenant, ContactId contact, String category) {
    return consent(tenant, contact)
        .subscription(Consents.category(category))
        .map(Subscription::frequency);
  }

  /**
   * The frequency chosen for each category the contact has not unsubscribed from, sorted by
   * category; the function the frequency limiter reads.
   */
  public Map<String, Frequency> frequencies(TenantId tenant, ContactId contact) {
    Map<String, Frequency> out = new TreeMap<>();
    for (Subscription s : consent(tenant, contact).subscriptions().values()) {
      if (s.subscribed()) {
        out.put(s.category(), s.frequency());
      }
    }
    return Collections.unmodifiableMap(out);
  }

  /** The contact's consent records, oldest first. */
  public List<ConsentRecord> records(TenantId tenant, ContactId contact) {
    return consent(tenant, contact).records();
  }

  Clock clock() {
    return clock;
  }

  /**
   * Applies {@code change} in the store. A change that happened at {@code at} (null for a change
   * dated by the centre's clock, which always applies) is ignored when the contact was erased at or
   * after {@code at}. The erasure time is kept whatever the change returns.
   */
  private ContactConsent change(
      TenantId tenant,
      ContactId contact,
      Instant at,
      String what,
      UnaryOperator<ContactConsent> change) {
    return store.update(
        tenant,
        contact,
        c -> {
          if (at != null && Consents.erasedSince(c, at)) {
            log.debug(
                "contact {}/{} was erased at {}; the {} dated {} is ignored",
                tenant,
                contact,
                c.erasedAt().orElseThrow(),
                what,
                at);
            return c;
          }
          ContactConsent next = change.apply(c);
          if (c.erasedAt().isPresent() && !next.erasedAt().equals(c.erasedAt())) {
            return new ContactConsent(
                next.tenant(),
                next.contact(),
                next.optedOutAt(),
                next.subscriptions(),
                next.records(),
                c.erasedAt());
          }
          return next;
        });
  }

  /**
   * A provider's event repeating what the contact already said, dated after everything recorded for
   * the scope: kept as a record, so that an older event of the opposite sense arriving late is
   * stale (unsubscribe at t1, resubscribe at t2, unsubscribe at t3, delivered t1, t3, t2, ends
   * unsubscribed as in order). A replay of the same event changes nothing.
   */
  private static ContactConsent confirmed(
      ContactConsent c, String category, ConsentRecord.Action action, String src, Instant at) {
    Optional<ConsentRecord> latest = Consents.latest(c, category);
    if (latest.isPresent() && !latest.get().at().isBefore(at)) {
      return c;
    }
    return new ContactConsent(
        c.tenant(),
        c.contact(),
        c.optedOutAt(),
        c.subscriptions(),
        Consents.with(c.records(), ConsentRecord.of(category, action, src, at)),
        c.erasedAt());
  }

  private static ContactConsent withSubscription(
      ContactConsent c, Subscription s, List<ConsentRecord> records) {
    Map<String, Subscription> subs = new HashMap<>(c.subscriptions());
    subs.put(s.category(), s);
    return new ContactConsent(c.tenant(), c.contact(), c.optedOutAt(), subs, records, c.erasedAt());
  }

  /** Configures a {@link PreferenceCentre}. */
  public static final class Builder {
    private final ConsentStore store;
    private final Clock clock;
    private final List<ErasureListener> erasureListeners = new ArrayList<>();

    private Builder(ConsentStore store, Clock clock) {
      this.store = Objects.requireNonNull(store, "store");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Adds a listener that erases the contact from another store; run in the order added. */
    public Builder erasureListener(ErasureListener listener) {
      erasureListeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    public PreferenceCentre build() {
      return new PreferenceCentre(this);
    }
  }
}
