package dev.steward.onboarding;

/** How long a tenant has sent email at its declared volume before coming to the platform. */
public enum SendingHistory {
  /** Never sent bulk or application email. */
  NONE,
  /** Sent for less than six months. */
  LESS_THAN_SIX_MONTHS,
  /** Sent for six months or more, with a provider it can name. */
  ESTABLISHED
}
