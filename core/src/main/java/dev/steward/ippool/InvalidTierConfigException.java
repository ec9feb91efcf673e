package dev.steward.ippool;

/** A tier configuration whose thresholds overlap or leave no room for hysteresis. */
public class InvalidTierConfigException extends InvalidIpPoolException {
  private static final long serialVersionUID = 1L;

  public InvalidTierConfigException(String message) {
    super(message);
  }
}
