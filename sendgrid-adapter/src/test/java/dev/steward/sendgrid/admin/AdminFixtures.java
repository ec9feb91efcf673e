package dev.steward.sendgrid.admin;

import dev.steward.sendgrid.mail.ApiKey;
import dev.steward.sendgrid.mail.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.MockWebServer;

/** A parent key, a fixed clock, and an admin over a MockWebServer that records its waits. */
final class AdminFixtures {
  /** The parent key: a made-up value that must never show up outside the header. */
  public static final String PARENT_KEY = "SG.parent-key-Zq8.never-in-a-log-Yw3";

  /** The tests' now. */
  public static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");

  /** A clock stopped at {@link #NOW}. */
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** The waits between tries an admin asked for, not slept. */
  static final class Waits {
    /** Each wait, in order. */
    public final List<Duration> seen = new CopyOnWriteArrayList<>();
  }

  private AdminFixtures() {}

  /** An admin over {@code server} with 3 tries, recording (not sleeping) its waits. */
  static SendGridAdmin admin(MockWebServer server, Waits waits) {
    return SendGridAdmin.builder(CLOCK, ApiKey.of(PARENT_KEY))
        .endpoint(server.url("/").uri())
        .retryPolicy(
            new RetryPolicy(
                3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10)))
        .timeouts(Duration.ofSeconds(2), Duration.ofMillis(500), Duration.ofSeconds(5))
        .sleeper(waits.seen::add)
        .build();
  }
}
