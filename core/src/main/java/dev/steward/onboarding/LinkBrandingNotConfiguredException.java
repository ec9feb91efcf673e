package dev.steward.onboarding;

import dev.steward.StewardException;

/** Link branding was asked of an installation whose provider binding offers none. */
public class LinkBrandingNotConfiguredException extends StewardException {
  private static final long serialVersionUID = 1L;

  /** With a message saying what was asked. */
  public LinkBrandingNotConfiguredException(String message) {
    super(message);
  }
}
