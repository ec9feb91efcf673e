package dev.steward.sendgrid.admin;

import java.util.Objects;
import java.util.Set;

/**
 * An Event Webhook as SendGrid holds it.
 *
 * @param id SendGrid's id of the webhook
 * @param url where SendGrid posts the events
 * @param enabled whether it posts
 * @param events the event types it posts, by SendGrid's setting names ({@code spam_report}, ...)
 */
public record EventWebhookSettings(String id, String url, boolean enabled, Set<String> events) {
  /** Checks the parts and copies the set. */
  public EventWebhookSettings {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    events = Set.copyOf(events);
  }
}
