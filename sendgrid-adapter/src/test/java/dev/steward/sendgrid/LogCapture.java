package dev.steward.sendgrid;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of Steward's and OkHttp's loggers at TRACE during a test (to this capture
 * only, not the console), so a test can look for a secret in all of them.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {
  private static final List<String> WATCHED = List.of("dev.steward", "okhttp3");

  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final List<Level> was = new ArrayList<>();

  @Override
  public void beforeEach(ExtensionContext context) {
    appender.list.clear();
    appender.start();
    was.clear();
    for (String name : WATCHED) {
      Logger logger = (Logger) LoggerFactory.getLogger(name);
      was.add(logger.getLevel());
      logger.setLevel(Level.TRACE);
      logger.setAdditive(false);
      logger.addAppender(appender);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    for (int i = 0; i < WATCHED.size(); i++) {
      Logger logger = (Logger) LoggerFactory.getLogger(WATCHED.get(i));
      logger.detachAppender(appender);
      logger.setLevel(was.get(i));
      logger.setAdditive(true);
    }
  }

  /** The lines captured so far. */
  public List<ILoggingEvent> events() {
    return appender.list;
  }

  /** Each line's text followed by the messages of its exception and every cause. */
  public List<String> texts() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : appender.list) {
      out.add(e.getFormattedMessage());
      for (IThrowableProxy p = e.getThrowableProxy(); p != null; p = p.getCause()) {
        out.add(p.getMessage() == null ? "" : p.getMessage());
      }
    }
    return out;
  }
}
