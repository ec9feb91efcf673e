package dev.steward.onboarding;

/** How a tenant's recipients unsubscribe, as chosen at content review. */
public enum UnsubscribeMechanism {
  /** The provider's global unsubscribe: one click stops all the tenant's marketing mail. */
  GLOBAL,
  /** The provider's unsubscribe groups: per category, with a preference page. */
  GROUP,
  /** The tenant's own preference centre, which must feed opt-outs back. */
  CUSTOM
}
