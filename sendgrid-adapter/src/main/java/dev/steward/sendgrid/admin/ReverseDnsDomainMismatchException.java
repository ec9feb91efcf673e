package dev.steward.sendgrid.admin;

import dev.steward.StewardException;
import dev.steward.ippool.IpAddress;
import java.util.Objects;

/**
 * An IP already has a reverse DNS set-up at SendGrid under another domain than the one asked for
 * ({@link SendGridIpPoolAdmin#setUpReverseDns}): SendGrid keeps one per IP, so the IP would go on
 * being named after the other domain. Thrown before any request that changes anything; delete the
 * existing set-up at SendGrid first if the IP is to move.
 */
public final class ReverseDnsDomainMismatchException extends StewardException {
  private static final long serialVersionUID = 1L;

  private final String ip;
  private final String existingDomain;
  private final String askedDomain;

  /**
   * With the IP and both domains, named in the message.
   *
   * @param ip the IP
   * @param existingDomain the domain of SendGrid's existing set-up
   * @param askedDomain the domain asked for
   */
  public ReverseDnsDomainMismatchException(
      IpAddress ip, String existingDomain, String askedDomain) {
    super(
        "IP "
            + Objects.requireNonNull(ip, "ip")
            + " has reverse DNS at SendGrid under domain '"
            + Objects.requireNonNull(existingDomain, "existingDomain")
            + "', not '"
            + Objects.requireNonNull(askedDomain, "askedDomain")
            + "' as asked; delete that set-up at SendGrid first to move the IP to '"
            + askedDomain
            + "'");
    this.ip = ip.toString();
    this.existingDomain = existingDomain;
    this.askedDomain = askedDomain;
  }

  /** The IP, as written. */
  public String ip() {
    return ip;
  }

  /** The domain of SendGrid's existing set-up. */
  public String existingDomain() {
    return existingDomain;
  }

  /** The domain asked for. */
  public String askedDomain() {
    return askedDomain;
  }
}
