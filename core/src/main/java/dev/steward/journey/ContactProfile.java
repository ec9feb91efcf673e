package dev.steward.journey;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.ZoneId;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What journeys know of a contact: where to send, in which zone local times are read, and the
 * attributes branches, date waits and exit criteria read (plan, renewal date, status).
 *
 * @param email the address email steps send to; empty for a contact reached on other channels
 * @param zone the contact's zone; empty to use the scheduler's default zone
 * @param attributes names to values, sorted by name
 */
public record ContactProfile(
    TenantId tenant,
    ContactId contact,
    AccountId account,
    Optional<EmailAddress> email,
    Optional<ZoneId> zone,
    Map<String, String> attributes) {

  /** The most attributes a contact may have. */
  public static final int MAX_ATTRIBUTES = 200;

  /** The longest attribute name or value. */
  public static final int MAX_ATTRIBUTE = 1000;

  public ContactProfile {
    InvalidJourneyException.requireNonNull(tenant, "tenant");
    InvalidJourneyException.requireNonNull(contact, "contact");
    if (account == null) { // the message built only on failure: a profile is made on every read
      throw new InvalidJourneyException("account of contact " + contact + " must not be null");
    }
    email = email == null ? Optional.empty() : email;
    zone = zone == null ? Optional.empty() : zone;
    attributes = attributes == null ? Map.of() : checkAttributes(attributes, contact);
  }

  /** A profile with an email address and a zone, and no attributes yet. */
  public static ContactProfile of(
      TenantId tenant, ContactId contact, AccountId account, EmailAddress email, ZoneId zone) {
    return new ContactProfile(
        tenant, contact, account, Optional.of(email), Optional.ofNullable(zone), Map.of());
  }

  /** A copy with {@code name} set to {@code value}. */
  public ContactProfile with(String name, String value) {
    Map<String, String> a = new TreeMap<>(attributes);
    a.put(name, value);
    return new ContactProfile(tenant, contact, account, email, zone, a);
  }

  /** A copy without the attribute {@code name}. */
  public ContactProfile without(String name) {
    Map<String, String> a = new TreeMap<>(attributes);
    a.remove(name);
    return new ContactProfile(tenant, contact, account, email, zone, a);
  }

  private static Map<String, String> checkAttributes(Map<String, String> in, ContactId contact) {
    if (in.size() > MAX_ATTRIBUTES) {
      throw new InvalidJourneyException(
          "contact " + contact + " has " + in.size() + " attributes; at most " + MAX_ATTRIBUTES);
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, String> e : in.entrySet()) {
      checkAttribute(e.getKey(), "attribute name of contact " + contact);
      checkAttribute(e.getValue(), "attribute '" + e.getKey() + "' of contact " + contact);
      out.put(e.getKey(), e.getValue());
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Checks an attribute name or value as every store does: not null, at most {@value
   * #MAX_ATTRIBUTE} characters, no NUL and no half of a surrogate pair; returns it.
   */
  public static String checkAttribute(String s, String what) {
    if (s == null) {
      throw new InvalidJourneyException(what + " must not be null");
    }
    if (s.length() > MAX_ATTRIBUTE) {
      throw new InvalidJourneyException(
          what + " is " + s.length() + " characters; at most " + MAX_ATTRIBUTE);
    }
    int nul = s.indexOf('\u0000');
    if (nul >= 0) {
      throw new InvalidJourneyException(what + " has a NUL at " + nul);
    }
    int half = dev.steward.model.StoreLimits.unpairedSurrogateAt(s);
    if (half >= 0) {
      throw new InvalidJourneyException(what + " has half a surrogate pair at " + half);
    }
    return s;
  }
}
