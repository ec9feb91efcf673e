package dev.steward.sendgrid.internal;

import dev.steward.sendgrid.mail.ApiKey;
import java.util.Objects;
import java.util.function.Function;

/**
 * The one way the adapter's packages read an {@link ApiKey}, for the {@code Authorization} header
 * only. {@code ApiKey} hands its reader over once, when its class is initialised (so before any key
 * exists); the key stays unreadable through the exported API.
 */
public final class Secrets {
  private static volatile Function<ApiKey, String> reader;

  private Secrets() {}

  /** Called once by {@code ApiKey}'s class initialiser; a second call is refused. */
  public static synchronized void install(Function<ApiKey, String> keyReader) {
    if (reader != null) {
      throw new IllegalStateException("the API key reader is already installed");
    }
    reader = Objects.requireNonNull(keyReader, "keyReader");
  }

  /** {@code Bearer <key>}, for the {@code Authorization} header and nothing else. */
  public static String authorization(ApiKey key) {
    Objects.requireNonNull(key, "key");
    return "Bearer " + reader.apply(key);
  }
}
