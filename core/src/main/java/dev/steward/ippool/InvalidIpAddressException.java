package dev.steward.ippool;

/** Text that is not a literal IPv4 or IPv6 address. */
public class InvalidIpAddressException extends InvalidIpPoolException {
  private static final long serialVersionUID = 1L;

  public InvalidIpAddressException(String message) {
    super(message);
  }
}
