package dev.steward.sendgrid.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.EventListener;
import okhttp3.MediaType;

/** What every SendGrid client of the adapter shares: media type, user agent, threads, listener. */
public final class HttpClients {
  /** {@code application/json}. */
  public static final MediaType JSON = MediaType.get("application/json");

  /** The {@code User-Agent} the adapter sends. */
  public static final String USER_AGENT = "steward-sendgrid";

  private HttpClients() {}

  /** Daemon threads named {@code name-1}, {@code name-2}, ...: they never keep the JVM alive. */
  public static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** The listener factory that hands each call its request's {@link RequestWritten} tag. */
  public static EventListener.Factory listenerFactory() {
    return call -> {
      RequestWritten w = call.request().tag(RequestWritten.class);
      return w != null ? w : EventListener.NONE;
    };
  }
}
