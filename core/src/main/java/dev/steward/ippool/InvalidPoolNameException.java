package dev.steward.ippool;

/** A pool name SendGrid would refuse (2 to 64 characters) or that cannot travel in a URL path. */
public class InvalidPoolNameException extends InvalidIpPoolException {
  private static final long serialVersionUID = 1L;

  public InvalidPoolNameException(String message) {
    super(message);
  }
}
