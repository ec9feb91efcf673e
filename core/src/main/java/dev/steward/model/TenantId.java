package dev.steward.model;

/** Identifies a customer of the ISV that sends email through the ISV's platform. */
public record TenantId(String value) implements Comparable<TenantId> {
  public TenantId {
    Ids.check("TenantId", value);
  }

  /** Shorthand for {@code new TenantId(value)}. */
  public static TenantId of(String value) {
    return new TenantId(value);
  }

  @Override
  public int compareTo(TenantId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
