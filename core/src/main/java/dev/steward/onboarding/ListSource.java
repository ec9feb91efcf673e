package dev.steward.onboarding;

/** Where a tenant says the addresses on its lists come from. */
public enum ListSource {
  /** A sign-up form on the tenant's own site or app. */
  SIGNUP_FORM,
  /** Customers who gave their address while buying. */
  CHECKOUT,
  /** The tenant's own customer or account records. */
  CUSTOMER_RECORDS,
  /** Sign-ups at an event or in a shop. */
  IN_PERSON,
  /** Addresses shared by a partner: consent must be shown. */
  PARTNER_SHARED,
  /** Bought from a list vendor: not allowed. */
  PURCHASED,
  /** Rented from a list vendor: not allowed. */
  RENTED,
  /** Harvested from web pages or directories: not allowed. */
  SCRAPED;

  /** True for the sources no acceptable-use policy allows. */
  public boolean isForbidden() {
    return this == PURCHASED || this == RENTED || this == SCRAPED;
  }
}
