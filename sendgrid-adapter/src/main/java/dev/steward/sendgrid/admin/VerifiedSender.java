package dev.steward.sendgrid.admin;

import java.util.Objects;

/**
 * A single sender as SendGrid holds it. Its {@code toString()} names no address.
 *
 * @param id SendGrid's id of it
 * @param nickname its name at SendGrid
 * @param fromEmail the From address, as SendGrid wrote it
 * @param verified whether its owner followed SendGrid's link: it may send
 * @param locked whether SendGrid locked it (it cannot be changed)
 */
public record VerifiedSender(
    long id, String nickname, String fromEmail, boolean verified, boolean locked) {
  /** Checks the parts. */
  public VerifiedSender {
    Objects.requireNonNull(nickname, "nickname");
    Objects.requireNonNull(fromEmail, "fromEmail");
  }

  @Override
  public String toString() {
    return "VerifiedSender[id="
        + id
        + ", nickname="
        + nickname
        + ", verified="
        + verified
        + ", locked="
        + locked
        + "]";
  }
}
