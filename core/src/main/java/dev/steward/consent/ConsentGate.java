package dev.steward.consent;

import dev.steward.delivery.Decision;
import dev.steward.delivery.Gate;
import dev.steward.delivery.Outcome;
import dev.steward.delivery.Reason;
import dev.steward.model.ContactId;
import dev.steward.model.Message;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The pipeline's consent check: suppresses non-account mail (educational, relationship,
 * promotional) to a contact who opted out or unsubscribed from the message's category, and,
 * optionally, mail of categories that need a confirmed double opt-in. Transactional and operational
 * account mail always passes, with a reason that says why.
 *
 * <p>The store is read on every evaluation, so an opt-out takes effect at once, also for messages
 * deferred earlier and evaluated again on their retry.
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

  private final ConsentStore store;
  private final Set<String> confirmedOptInCategories;

  private ConsentGate(Builder b) {
    this.store = b.store;
    this.confirmedOptInCategories = Set.copyOf(b.confirmedOptInCategories);
  }

  /** A gate over the store with no double opt-in requirement. */
  public static ConsentGate of(ConsentStore store) {
    return builder(store).build();
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

  @Override
  public Decision evaluate(Message message, Instant now) {
    ContactId contact = message.contact();
    String category = message.category();
    TenantId tenant = message.tenant();
    ContactConsent consent =
        store.find(tenant, contact).orElseGet(() -> ContactConsent.empty(tenant, contact));

    if (message.kind().isAccountMail()) {
      String detail =
          consent.optedOut()
              ? message.kind()
                  + " account mail reaches contact "
                  + contact
                  + " although they opted out of marketing mail at "
                  + consent.optedOutAt()
              : message.kind() + " account mail is not subject to marketing consent";
      return Decision.allow(reason(RULE_ACCOUNT_MAIL, Outcome.ALLOW, detail));
    }
    if (consent.optedOut()) {
      return Decision.suppress(
          reason(
              RULE_GLOBAL_OPT_OUT,
              Outcome.SUPPRESS,
              "contact " + contact + " opted out of marketing mail at " + consent.optedOutAt()));
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
    return Decision.allow(
        reason(
            RULE_CONSENTED,
            Outcome.ALLOW,
            "contact "
                + contact
                + " has not opted out of "
                + message.kind()
                + " mail nor unsubscribed from '"
                + category
                + "'"));
  }

  private static Reason reason(String rule, Outcome effect, String detail) {
    return Reason.of(NAME, rule, effect, detail);
  }

  @Override
  public String toString() {
    return "ConsentGate"
        + (confirmedOptInCategories.isEmpty()
            ? ""
            : " (double opt-in for " + confirmedOptInCategories + ")");
  }

  /** Configures a {@link ConsentGate}. */
  public static final class Builder {
    private final ConsentStore store;
    private final Set<String> confirmedOptInCategories = new LinkedHashSet<>();

    private Builder(ConsentStore store) {
      this.store = Objects.requireNonNull(store, "store");
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
