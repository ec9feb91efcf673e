package dev.steward.consent;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.internal.ComputedList;
import dev.steward.internal.RuleOutline;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The pipeline's consent check, within the message's tenant. First the recipient's address against
 * the tenant's {@linkplain SuppressionStore suppression list}, whether or not the address belongs
 * to a known contact: a hard bounce or an invalid address stops every kind of mail; a spam report
 * stops all but transactional mail (and that too where {@link Builder#spamReportStopsTransactional}
 * says so); an unsubscribe stops non-account mail and a group unsubscribe non-account mail of its
 * category. Then the contact's consent: non-account mail (educational, relationship, promotional)
 * to a contact who opted out or unsubscribed from the message's category is suppressed, and,
 * optionally, mail of categories that need a confirmed double opt-in. Transactional and operational
 * account mail passes the contact's consent, with a reason that says why.
 *
 * <p>The stores are read on every evaluation, so an opt-out or a bounce takes effect at once, also
 * for messages deferred earlier and evaluated again on their retry.
 */
public final class ConsentGate implements Gate {

  /** The gate's name in reasons. */
  public static final String NAME = "consent";

  /** Rule id: account mail passes consent. */
  public static final String RULE_ACCOUNT_MAIL = "account-mail";

  /** Rule id: the contact opted out of all non-account mail. */
  public static final String RULE_GLOBAL_OPT_OUT = "global-opt-out";

  /** Rule id: the contact unsubscribed from the message's category. */
  public static final String RULE_CATEGORY_UNSUBSCRIBED = "category-unsubscribed";

  /** Rule id: the category needs a confirmed double opt-in the contact has not given. */
  public static final String RULE_DOUBLE_OPT_IN = "double-opt-in-required";

  /** Rule id: nothing the contact said stands against the message. */
  public static final String RULE_CONSENTED = "consented";

  /** Rule id: the address hard-bounced; no mail of any kind goes. */
  public static final String RULE_ADDRESS_HARD_BOUNCE = "address-hard-bounce";

  /** Rule id: the provider refused the address as invalid; no mail of any kind goes. */
  public static final String RULE_ADDRESS_INVALID = "address-invalid";

  /** Rule id: the address reported spam. */
  public static final String RULE_ADDRESS_SPAM_REPORT = "address-spam-report";

  /** Rule id: the address unsubscribed from marketing mail. */
  public static final String RULE_ADDRESS_UNSUBSCRIBED = "address-unsubscribed";

  /** Rule id: the address unsubscribed from the message's category (group). */
  public static final String RULE_ADDRESS_GROUP_UNSUBSCRIBED = "address-group-unsubscribed";

  /** By default a spam report does not stop transactional mail. */
  public static final boolean DEFAULT_SPAM_REPORT_STOPS_TRANSACTIONAL = false;

  /** The suppressions in the order they are named in a decision: the strictest first. */
  private static final List<SuppressionReason> BY_SEVERITY =
      List.of(
          SuppressionReason.HARD_BOUNCE,
          SuppressionReason.INVALID_ADDRESS,
          SuppressionReason.SPAM_REPORT,
          SuppressionReason.UNSUBSCRIBE,
          SuppressionReason.GROUP_UNSUBSCRIBE);

  private final ConsentStore store;
  private final Optional<SuppressionStore> suppressions;
  private final boolean spamReportStopsTransactional;
  private final Set<String> confirmedOptInCategories;

  private ConsentGate(Builder b) {
    this.store = b.store;
    this.suppressions = Optional.ofNullable(b.suppressions);
    this.spamReportStopsTransactional = b.spamReportStopsTransactional;
    this.confirmedOptInCategories = Set.copyOf(b.confirmedOptInCategories);
  }

  /**
   * A gate over contact consent only, with no double opt-in requirement: addresses are not checked
   * against a suppression list (see {@link #of(ConsentStore, SuppressionStore)}).
   */
  public static ConsentGate of(ConsentStore store) {
    return builder(store).build();
  }

  /** A gate over contact consent and the address suppression list, with the defaults. */
  public static ConsentGate of(ConsentStore store, SuppressionStore suppressions) {
    return builder(store).suppressions(suppressions).build();
  }

  /** A builder over the store. */
  public static Builder builder(ConsentStore store) {
    return new Builder(store);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** The categories that need a confirmed double opt-in, normalised. */
  public Set<String> confirmedOptInCategories() {
    return confirmedOptInCategories;
  }

  /** True when transactional mail to an address that reported spam is suppressed too. */
  public boolean spamReportStopsTransactional() {
    return spamReportStopsTransactional;
  }

  @Override
  public Decision evaluate(Message message, Instant now) {
    return decide(message, listed(message), null);
  }

  /**
   * The decisions {@link #evaluate} gives each message, in order, reading the stores once per
   * tenant for the whole list ({@link ConsentStore#findAll}, {@link SuppressionStore#findAll})
   * instead of once or twice per message. The gate reserves nothing, so the messages do not depend
   * on each other.
   */
  @Override
  public List<Decision> evaluateAll(List<Message> messages, Instant now) {
    Objects.requireNonNull(messages, "messages");
    Map<TenantId, Set<ContactId>> contacts = new LinkedHashMap<>();
    Map<TenantId, Set<EmailAddress>> addresses = new LinkedHashMap<>();
    for (Message m : messages) {
      Objects.requireNonNull(m, "messages holds null");
      contacts.computeIfAbsent(m.tenant(), t -> new LinkedHashSet<>()).add(m.contact());
      if (suppressions.isPresent() && m.to() != null) {
        addresses.computeIfAbsent(m.tenant(), t -> new LinkedHashSet<>()).add(m.to());
      }
    }
    Map<TenantId, Map<EmailAddress, AddressSuppressions>> listed = new HashMap<>();
    for (Map.Entry<TenantId, Set<EmailAddress>> e : addresses.entrySet()) {
      listed.put(e.getKey(), suppressions.get().findAll(e.getKey(), e.getValue()));
    }
    Map<TenantId, Map<ContactId, ContactConsent>> consents = new HashMap<>();
    for (Map.Entry<TenantId, Set<ContactId>> e : contacts.entrySet()) {
      consents.put(e.getKey(), store.findAll(e.getKey(), e.getValue()));
    }
    List<Decision> out = new ArrayList<>(messages.size());
    for (Message m : messages) {
      AddressSuppressions entry =
          m.to() == null ? null : listed.getOrDefault(m.tenant(), Map.of()).get(m.to());
      ContactConsent consent = consents.get(m.tenant()).get(m.contact());
      out.add(
          decide(
              m,
              entry != null && entry.isSuppressed() ? entry : null,
              consent != null ? consent : ContactConsent.empty(m.tenant(), m.contact())));
    }
    return out;
  }

  /**
   * The decision on {@code message}, given its address's suppressions (null when not suppressed)
   * and its contact's consent (null: read it from the store, only when the address passes).
   */
  private Decision decide(Message message, AddressSuppressions listed, ContactConsent known) {
    ContactId contact = message.contact();
    String category = message.category();
    TenantId tenant = message.tenant();
    // memsend: the notes' list is made only for an address the tenant's list names
    List<Reason> notes = List.of();
    if (listed != null) {
      notes = new ArrayList<>(2);
      Optional<Decision> suppressed = checkAddress(message, listed, notes);
      if (suppressed.isPresent()) {
        return suppressed.get();
      }
    }
    ContactConsent consent = known != null ? known : read(tenant, contact);

    if (message.kind().isAccountMail()) {
      String detail =
          consent.optedOut()
              ? message.kind()
                  + " account mail reaches contact "
                  + contact
                  + " although they opted out of marketing mail at "
                  + consent.optedOutAt().orElseThrow()
              : message.kind() + " account mail is not subject to marketing consent";
      return allow(notes, reason(RULE_ACCOUNT_MAIL, Outcome.ALLOW, detail));
    }
    if (consent.optedOut()) {
      return Decision.suppress(
          reason(
              RULE_GLOBAL_OPT_OUT,
              Outcome.SUPPRESS,
              "contact "
                  + contact
                  + " opted out of marketing mail at "
                  + consent.optedOutAt().orElseThrow()));
    }
    if (Consents.unsubscribed(consent, category)) {
      Instant when = consent.subscription(category).map(Subscription::updatedAt).orElse(null);
      return Decision.suppress(
          reason(
              RULE_CATEGORY_UNSUBSCRIBED,
              Outcome.SUPPRESS,
              "contact " + contact + " unsubscribed from '" + category + "' at " + when));
    }
    if (confirmedOptInCategories.contains(category) && !Consents.confirmed(consent, category)) {
      return Decision.suppress(
          reason(
              RULE_DOUBLE_OPT_IN,
              Outcome.SUPPRESS,
              "category '"
                  + category
                  + "' needs a confirmed double opt-in; contact "
                  + contact
                  + " has not confirmed"));
    }
    if (notes.isEmpty()) {
      // memsend: the common answer's text is built only when its reasons are read (most callers
      // read the outcome; metrics count the rule from the outline)
      MessageKind kind = message.kind();
      return Decision.allow(
          new ComputedList<>(() -> List.of(consented(contact, kind, category)), CONSENTED));
    }
    return allow(notes, consented(contact, message.kind(), category));
  }

  /**
   * The contact's consent, or an empty one: without {@code orElseGet}, whose lambda over the tenant
   * and the contact was made for every message, found or not.
   */
  private ContactConsent read(TenantId tenant, ContactId contact) {
    Optional<ContactConsent> found = store.find(tenant, contact);
    return found.isPresent() ? found.get() : ContactConsent.empty(tenant, contact);
  }

  /** The outline of the reasons of a consented message with no address notes. */
  private static final RuleOutline<Outcome> CONSENTED =
      RuleOutline.of(NAME, RULE_CONSENTED, Outcome.ALLOW);

  private static Reason consented(ContactId contact, MessageKind kind, String category) {
    return reason(
        RULE_CONSENTED,
        Outcome.ALLOW,
        "contact "
            + contact
            + " has not opted out of "
            + kind
            + " mail nor unsubscribed from '"
            + category
            + "'");
  }

  /**
   * The suppression decision when the tenant's list stops this message to its address, naming every
   * suppression that does, strictest first; else empty, with a note in {@code notes} for each
   * suppression the message passes (a transactional message to a spam-reporting address).
   */
  private Optional<Decision> checkAddress(
      Message message, AddressSuppressions entry, List<Reason> notes) {
    List<Reason> stopping = new ArrayList<>(2);
    for (SuppressionReason r : BY_SEVERITY) {
      for (Suppression s : entry.active()) {
        if (s.reason() != r
            || (r.namesCategory() && !s.category().orElseThrow().equals(message.category()))) {
          continue;
        }
        if (r.stops(message.kind(), spamReportStopsTransactional)) {
          stopping.add(reason(ruleOf(r), Outcome.SUPPRESS, describe(s, message, true)));
        } else {
          notes.add(reason(ruleOf(r), Outcome.ALLOW, describe(s, message, false)));
        }
      }
    }
    return stopping.isEmpty() ? Optional.empty() : Optional.of(Decision.suppress(stopping));
  }

  /** The address's suppressions on the tenant's list, if it is listed as suppressed; else null. */
  private AddressSuppressions listed(Message message) {
    EmailAddress to = message.to();
    if (suppressions.isEmpty() || to == null) {
      return null;
    }
    Optional<AddressSuppressions> entry = suppressions.get().find(message.tenant(), to);
    return entry.isPresent() && entry.get().isSuppressed() ? entry.get() : null;
  }

  /** The rule id that names a suppression's reason in a decision. */
  public static String ruleOf(SuppressionReason reason) {
    switch (reason) {
      case HARD_BOUNCE:
        return RULE_ADDRESS_HARD_BOUNCE;
      case INVALID_ADDRESS:
        return RULE_ADDRESS_INVALID;
      case SPAM_REPORT:
        return RULE_ADDRESS_SPAM_REPORT;
      case UNSUBSCRIBE:
        return RULE_ADDRESS_UNSUBSCRIBED;
      case GROUP_UNSUBSCRIBE:
        return RULE_ADDRESS_GROUP_UNSUBSCRIBED;
      default:
        throw new AssertionError(reason);
    }
  }

  private String describe(Suppression s, Message message, boolean stops) {
    String what;
    switch (s.reason()) {
      case HARD_BOUNCE:
        what = "hard-bounced";
        break;
      case INVALID_ADDRESS:
        what = "was refused as invalid";
        break;
      case SPAM_REPORT:
        what = "reported spam";
        break;
      case UNSUBSCRIBE:
        what = "unsubscribed from marketing mail";
        break;
      case GROUP_UNSUBSCRIBE:
        what = "unsubscribed from '" + s.category().orElseThrow() + "'";
        break;
      default:
        throw new AssertionError(s.reason());
    }
    String head =
        "address "
            + s.address().masked()
            + " "
            + what
            + ": suppressed for tenant "
            + s.tenant()
            + " since "
            + s.since()
            + " (source "
            + s.source()
            + ")";
    if (stops) {
      return s.reason() == SuppressionReason.HARD_BOUNCE
              || s.reason() == SuppressionReason.INVALID_ADDRESS
          ? head + "; no mail of any kind goes to it"
          : head + "; " + message.kind() + " mail does not go to it";
    }
    return head
        + "; "
        + message.kind()
        + " mail still goes"
        + (s.reason() == SuppressionReason.SPAM_REPORT
            ? " (the gate lets transactional mail reach a spam-reporting address)"
            : " (account mail)");
  }

  private static Decision allow(List<Reason> notes, Reason reason) {
    if (notes.isEmpty()) {
      return Decision.allow(reason);
    }
    List<Reason> all = new ArrayList<>(notes);
    all.add(reason);
    return Decision.allow(all);
  }

  private static Reason reason(String rule, Outcome effect, String detail) {
    return Reason.of(NAME, rule, effect, detail);
  }

  @Override
  public String toString() {
    return "ConsentGate"
        + (suppressions.isPresent() ? " with address suppressions" : "")
        + (spamReportStopsTransactional ? " (spam reports stop transactional mail)" : "")
        + (confirmedOptInCategories.isEmpty()
            ? ""
            : " (double opt-in for " + confirmedOptInCategories + ")");
  }

  /** Configures a {@link ConsentGate}. */
  public static final class Builder {
    private final ConsentStore store;
    private SuppressionStore suppressions;
    private boolean spamReportStopsTransactional = DEFAULT_SPAM_REPORT_STOPS_TRANSACTIONAL;
    private final Set<String> confirmedOptInCategories = new LinkedHashSet<>();

    private Builder(ConsentStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Checks each message's address against the tenant's suppression list first; without it, no
     * address is checked (an opt-out that named no known contact would be missed).
     */
    public Builder suppressions(SuppressionStore suppressions) {
      this.suppressions = Objects.requireNonNull(suppressions, "suppressions");
      return this;
    }

    /**
     * Whether a spam report stops transactional mail to the address too; default {@code false}
     * ({@link ConsentGate#DEFAULT_SPAM_REPORT_STOPS_TRANSACTIONAL}): a receipt or a password reset
     * the recipient asked for still goes.
     */
    public Builder spamReportStopsTransactional(boolean stops) {
      this.spamReportStopsTransactional = stops;
      return this;
    }

    /**
     * Requires a confirmed double opt-in (a CONFIRMED record newer than any other record of the
     * category) before non-account mail of these categories may go; none by default.
     */
    public Builder requireConfirmedOptIn(String... categories) {
      Objects.requireNonNull(categories, "categories");
      for (String c : categories) {
        confirmedOptInCategories.add(Consents.category(c));
      }
      return this;
    }

    public ConsentGate build() {
      return new ConsentGate(this);
    }
  }
}
