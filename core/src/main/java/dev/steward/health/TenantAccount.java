package dev.steward.health;

import dev.steward.model.AccountId;
import dev.steward.model.TenantId;

/** The key of an account in the in-memory health stores: the same id under two tenants differs. */
record TenantAccount(TenantId tenant, AccountId account) {

  /** The key, refusing a null tenant or account with a message naming it. */
  static TenantAccount of(TenantId tenant, AccountId account) {
    return new TenantAccount(
        InvalidHealthInputException.requireNonNull(tenant, "tenant"),
        InvalidHealthInputException.requireNonNull(account, "account"));
  }
}
