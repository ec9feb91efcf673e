package dev.steward.sendgrid.mail;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of SendGrid's error body {@code {"errors":[{"message","field","help"}]}}.
 *
 * @param message what is wrong, as SendGrid says it
 * @param field the request field at fault, such as {@code personalizations.0.to}, when named
 * @param help SendGrid's link to its documentation, when given
 */
public record FieldError(String message, Optional<String> field, Optional<String> help) {
  /** Checks that no part is null. */
  public FieldError {
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(help, "help");
  }

  @Override
  public String toString() {
    return field.map(f -> f + ": " + message).orElse(message);
  }
}
