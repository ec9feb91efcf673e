package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.InvalidModelException;
import dev.steward.model.Message;
import dev.steward.model.StoreLimits;
import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation and the pure rules of a suppression list, shared by every {@link SuppressionStore}: a
 * change dated before the newest change of the same reason and category is stale and ignored, so
 * events applied twice, late or out of order leave the list as applying them once in order does.
 */
final class Suppressions {
  /** The logger of the suppression list's changes, named after the SPI that makes them. */
  static final Logger LOG = LoggerFactory.getLogger(SuppressionStore.class);

  /** The longest delisting note. */
  static final int MAX_NOTE_LENGTH = 1000;

  private Suppressions() {}

  static <T> T required(T value, String field) {
    if (value == null) {
      throw new InvalidConsentException(field + " must not be null");
    }
    return value;
  }

  static Optional<String> category(SuppressionReason reason, Optional<String> category) {
    required(category, "category");
    if (reason.namesCategory()) {
      if (category.isEmpty()) {
        throw new InvalidConsentException("category: a " + reason + " must name its category");
      }
      try {
        return Optional.of(Message.category(category.get()));
      } catch (InvalidModelException e) {
        throw new InvalidConsentException("category is invalid: " + e.getMessage(), e);
      }
    }
    if (category.isPresent()) {
      throw new InvalidConsentException(
          "category: a " + reason + " names no category, but '" + category.get() + "' was given");
    }
    return category;
  }

  static Instant instant(Instant at, String field) {
    String problem = StoreLimits.instantProblem(at);
    if (problem != null) {
      throw new InvalidConsentException(field + " " + problem);
    }
    return at;
  }

  static String note(String note) {
    String problem = StoreLimits.textProblem(note, MAX_NOTE_LENGTH);
    if (problem != null) {
      throw new InvalidConsentException("note " + problem);
    }
    return note.strip();
  }

  /**
   * The list with {@code s} added; the same list when a suppression of its reason and category is
   * already active since {@code s.since()} or later, or was removed at or after it (a late or
   * replayed event). An active one from before is replaced by {@code s}: the newest confirmation is
   * what a late removal dated between the two must not undo.
   */
  static AddressSuppressions add(AddressSuppressions current, Suppression s) {
    Optional<Suppression> same = current.active(s.reason(), s.category());
    if (same.isPresent()) {
      if (!s.since().isAfter(same.get().since())) {
        return current;
      }
      List<Suppression> active = new ArrayList<>(current.active());
      active.remove(same.get());
      active.add(s);
      return new AddressSuppressions(
          current.tenant(), current.address(), active, current.delistings());
    }
    Optional<Delisting> removed = current.delisting(s.reason(), s.category());
    if (removed.isPresent() && !removed.get().at().isBefore(s.since())) {
      return current;
    }
    List<Suppression> active = new ArrayList<>(current.active());
    active.add(s);
    return new AddressSuppressions(
        current.tenant(), current.address(), active, current.delistings());
  }

  /**
   * The list with the suppression {@code d} names removed and {@code d} kept as the newest removal
   * of its reason and category; the same list when the suppression began after {@code d.at()}, or
   * when a removal at or after it is already kept. With nothing active, {@code d} is still kept, so
   * that a suppression dated before it and arriving after it stays out.
   */
  static AddressSuppressions remove(AddressSuppressions current, Delisting d) {
    Optional<Suppression> active = current.active(d.reason(), d.category());
    if (active.isPresent() && active.get().since().isAfter(d.at())) {
      return current;
    }
    Optional<Delisting> kept = current.delisting(d.reason(), d.category());
    if (active.isEmpty() && kept.isPresent() && !kept.get().at().isBefore(d.at())) {
      return current;
    }
    List<Suppression> stillActive = new ArrayList<>(current.active());
    active.ifPresent(stillActive::remove);
    List<Delisting> delistings = new ArrayList<>(current.delistings());
    kept.ifPresent(delistings::remove);
    delistings.add(d);
    return new AddressSuppressions(current.tenant(), current.address(), stillActive, delistings);
  }

  /** True when {@code after} holds exactly {@code s} (as added, not an earlier one). */
  static boolean holds(AddressSuppressions after, Suppression s) {
    return after.active(s.reason(), s.category()).map(s::equals).orElse(false);
  }

  /** True when {@code after} keeps {@code d} as its newest removal. */
  static boolean holds(AddressSuppressions after, Delisting d) {
    return after.delisting(d.reason(), d.category()).map(d::equals).orElse(false);
  }

  /** The result of a change, refused unless it names the address it was given. */
  static AddressSuppressions checkResult(
      TenantId tenant, EmailAddress address, AddressSuppressions next) {
    if (next == null) {
      throw new InvalidConsentException(
          "the suppression change for " + tenant + "/" + address.masked() + " returned null");
    }
    if (!next.tenant().equals(tenant) || !next.address().equals(address)) {
      throw new InvalidConsentException(
          "the suppression change for "
              + tenant
              + "/"
              + address.masked()
              + " returned the entry of "
              + next.tenant()
              + "/"
              + next.address().masked());
    }
    return next;
  }

  /** Checks the arguments of a page. */
  static void page(Optional<EmailAddress> after, int limit) {
    required(after, "after");
    if (limit < 1 || limit > SuppressionStore.MAX_PAGE) {
      throw new InvalidConsentException(
          "limit must be 1 to " + SuppressionStore.MAX_PAGE + ", was " + limit);
    }
  }
}
