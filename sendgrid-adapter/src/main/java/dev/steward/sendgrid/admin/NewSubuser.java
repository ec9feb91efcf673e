package dev.steward.sendgrid.admin;

import dev.steward.model.EmailAddress;
import dev.steward.sendgrid.mail.Region;
import java.util.List;
import java.util.Objects;

/**
 * A subuser to create for a tenant. Its {@code toString()} hides the password.
 *
 * @param username the subuser's username (1 to 64 visible ASCII characters, no slash)
 * @param email the subuser's contact address at SendGrid
 * @param password the subuser's password for SendGrid's site (8 to 128 characters)
 * @param ips the IP addresses to assign (may be empty: pools come with issue 15's IP pool SPI)
 * @param region the subuser's region
 */
public record NewSubuser(
    String username, EmailAddress email, String password, List<String> ips, Region region) {

  /** Checks each part, naming the one at fault and never quoting the password. */
  public NewSubuser {
    Names.subuser(username);
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(password, "password");
    if (password.length() < 8 || password.length() > 128) {
      throw new IllegalArgumentException("subuser password must be 8 to 128 characters");
    }
    ips = List.copyOf(ips);
    for (String ip : ips) {
      if (!ip.matches("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})")) {
        throw new IllegalArgumentException("subuser ip '" + ip + "' is not an IPv4 address");
      }
    }
    Objects.requireNonNull(region, "region");
  }

  /** A global subuser with no IPs assigned. */
  public static NewSubuser of(String username, EmailAddress email, String password) {
    return new NewSubuser(username, email, password, List.of(), Region.GLOBAL);
  }

  @Override
  public String toString() {
    return "NewSubuser[username="
        + username
        + ", email="
        + email.masked()
        + ", password=redacted, ips="
        + ips
        + ", region="
        + region
        + "]";
  }
}
