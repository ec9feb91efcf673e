package dev.steward.sendgrid.mail;

import java.net.URI;

/**
 * Where a SendGrid account's data lives: the global API, or the EU one for EU regional subusers.
 */
public enum Region {
  /** {@code https://api.sendgrid.com}. */
  GLOBAL(URI.create("https://api.sendgrid.com")),
  /** {@code https://api.eu.sendgrid.com}, for EU regional subusers. */
  EU(URI.create("https://api.eu.sendgrid.com"));

  private final URI baseUrl;

  Region(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** The region's API base URL, without a trailing slash. */
  public URI baseUrl() {
    return baseUrl;
  }
}
