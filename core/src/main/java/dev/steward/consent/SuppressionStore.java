package dev.steward.consent;

import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Each tenant's list of email addresses it must not mail, with why (see {@link SuppressionReason}),
 * since when and from where; kept by address, because that is what the provider reports, whether or
 * not the address belongs to a known contact. The same address under two tenants is two entries.
 *
 * <p>A backend implements the primitive {@link #update} (an atomic read-modify-write of one
 * address) and the reads; {@link #add} and {@link #remove} are built on it, the same for every
 * backend. Both are idempotent and dated: a change dated before the newest change of the same
 * reason and category is ignored, so provider events applied twice, late or out of order leave the
 * list as applying them once in order would.
 */
public interface SuppressionStore {

  /** The address's entry in the tenant's list, if the list holds anything about it. */
  Optional<AddressSuppressions> find(TenantId tenant, EmailAddress address);

  /**
   * The entries of several addresses in the tenant's list, by address; addresses the list holds
   * nothing about are absent from the map. The set-based form of {@link #find} for a batch of
   * messages: a database answers it in one statement per few hundred addresses. The default asks
   * {@link #find} for each address.
   */
  default Map<EmailAddress, AddressSuppressions> findAll(
      TenantId tenant, Collection<EmailAddress> addresses) {
    if (addresses == null) {
      throw new InvalidConsentException("addresses must not be null");
    }
    Map<EmailAddress, AddressSuppressions> found = new LinkedHashMap<>();
    for (EmailAddress a : addresses) {
      find(tenant, a).ifPresent(entry -> found.put(a, entry));
    }
    return found;
  }

  /**
   * Applies {@code change} to the address's entry (or {@link AddressSuppressions#empty}) and stores
   * the result, atomically; returns what was stored. If {@code change} throws, nothing is stored.
   * The result must name the same tenant and address. The change may be applied more than once (a
   * backend may retry it), so it must be a pure function of its argument.
   */
  AddressSuppressions update(
      TenantId tenant, EmailAddress address, UnaryOperator<AddressSuppressions> change);

  /**
   * A page of the tenant's suppressed addresses (those with a suppression in force), ordered by
   * address: at most {@code limit} (1 to {@value #MAX_PAGE}) entries after {@code after}; pass the
   * last address of a page to get the next one.
   */
  List<AddressSuppressions> list(TenantId tenant, Optional<EmailAddress> after, int limit);

  /** Deletes everything about the address in the tenant's list, removals included. */
  boolean erase(TenantId tenant, EmailAddress address);

  /** Deletes the tenant's whole list; the number of addresses removed. Idempotent. */
  int eraseTenant(TenantId tenant);

  /** The largest page {@link #list} returns. */
  int MAX_PAGE = 1000;

  /** The first page of the tenant's suppressed addresses. */
  default List<AddressSuppressions> list(TenantId tenant, int limit) {
    return list(tenant, Optional.empty(), limit);
  }

  /**
   * Adds {@code suppression} to its tenant's list; true if it was added, false if a suppression of
   * the same reason (and category) is already in force or was removed at or after its time. Logs
   * one INFO line, with the address masked, per suppression added.
   */
  default boolean add(Suppression suppression) {
    Suppressions.required(suppression, "suppression");
    TenantId tenant = suppression.tenant();
    EmailAddress address = suppression.address();
    Optional<AddressSuppressions> now = find(tenant, address);
    if (now.isPresent() && Suppressions.add(now.get(), suppression) == now.get()) {
      Suppressions.LOG.debug("{}: already suppressed or removed later; unchanged", suppression);
      return false;
    }
    AddressSuppressions after = update(tenant, address, c -> Suppressions.add(c, suppression));
    boolean added = Suppressions.holds(after, suppression);
    if (added) {
      Suppressions.LOG.info("suppressed {}", suppression);
    }
    return added;
  }

  /**
   * Removes the suppression {@code delisting} names (a group resubscribe, or an operator's
   * delisting with its note) and keeps the removal; true if the list changed. A removal dated
   * before the suppression began changes nothing.
   */
  default boolean remove(Delisting delisting) {
    Suppressions.required(delisting, "delisting");
    TenantId tenant = delisting.tenant();
    EmailAddress address = delisting.address();
    Optional<AddressSuppressions> now = find(tenant, address);
    if (now.isPresent() && Suppressions.remove(now.get(), delisting) == now.get()) {
      Suppressions.LOG.debug(
          "removal of {} of {} for tenant {} at {}: a newer change stands; unchanged",
          delisting.reason(),
          address.masked(),
          tenant,
          delisting.at());
      return false;
    }
    boolean wasActive =
        now.flatMap(n -> n.active(delisting.reason(), delisting.category())).isPresent();
    // with nothing active the removal is still kept: a suppression dated before it may follow
    AddressSuppressions after = update(tenant, address, c -> Suppressions.remove(c, delisting));
    boolean removed = Suppressions.holds(after, delisting);
    if (removed && wasActive) {
      Suppressions.LOG.info(
          "removed the {}{} suppression of {} for tenant {} at {} ({})",
          delisting.reason(),
          delisting.category().map(c -> "('" + c + "')").orElse(""),
          address.masked(),
          tenant,
          delisting.at(),
          delisting.source());
    }
    return removed;
  }
}
