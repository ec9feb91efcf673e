package dev.steward.sendgrid.admin;

import dev.steward.model.EmailAddress;
import java.util.Objects;

/**
 * A single sender to verify: SendGrid mails {@code from} a link, and the address may send once its
 * owner followed it. The postal address is the one the tenant's mail shows (CAN-SPAM); SendGrid's
 * own form requires it. Its {@code toString()} masks the addresses.
 *
 * @param nickname a name for the sender at SendGrid (1 to 100 characters)
 * @param from the From address to verify
 * @param fromName the From name (1 to 256 characters)
 * @param replyTo the Reply-To address
 * @param address the street address (1 to 100 characters)
 * @param city the city (1 to 150 characters)
 * @param country the country (1 to 100 characters)
 */
public record NewVerifiedSender(
    String nickname,
    EmailAddress from,
    String fromName,
    EmailAddress replyTo,
    String address,
    String city,
    String country) {

  /** Checks each part against SendGrid's limits, naming the one at fault. */
  public NewVerifiedSender {
    text("nickname", nickname, 100);
    Objects.requireNonNull(from, "from");
    text("fromName", fromName, 256);
    Objects.requireNonNull(replyTo, "replyTo");
    text("address", address, 100);
    text("city", city, 150);
    text("country", country, 100);
  }

  private static void text(String what, String value, int max) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.length() > max) {
      throw new IllegalArgumentException(
          "verified sender "
              + what
              + " must be 1 to "
              + max
              + " characters, not "
              + value.length());
    }
  }

  @Override
  public String toString() {
    return "NewVerifiedSender[nickname="
        + nickname
        + ", from="
        + from.masked()
        + ", replyTo="
        + replyTo.masked()
        + "]";
  }
}
