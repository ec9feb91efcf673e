package dev.steward.review24;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.jdbc.JdbcJourneyAnalyticsStore;
import dev.steward.jdbc.StewardSchema;
import dev.steward.journey.JourneyAlertKind;
import dev.steward.journey.JourneyStepRef;
import dev.steward.model.TenantId;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * Suspicion (i) of the journey review: {@code openEpisode} on a JDBC store whose write is applied
 * but whose acknowledgement is lost (the connection dies after the database ran the insert). The
 * store declared the write safe to repeat, so its retry ran the insert again, found the episode
 * open and answered false: the caller (the analytics' evaluation) took it for another instance's
 * episode and raised no alert, for the whole episode. The answer must be true (this call opened
 * it), or the failure must reach the caller; never a silent false.
 */
class EpisodeLostAcknowledgementTest {
  private static final TenantId T = TenantId.of("t1");
  private static final JourneyStepRef AT = new JourneyStepRef("hello", 1, "hello");

  @Test
  void anOpeningWhoseAcknowledgementWasLostIsNotAnsweredAsAnotherInstancesEpisode() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:episode-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    StewardSchema.bootstrap(h2);
    AtomicInteger loseNext = new AtomicInteger();
    JdbcJourneyAnalyticsStore store = JdbcJourneyAnalyticsStore.of(losesAcks(h2, loseNext));
    Instant at = Instant.parse("2026-06-01T09:00:00Z");

    loseNext.set(1);
    boolean opened;
    try {
      opened = store.openEpisode(T, AT, JourneyAlertKind.LOW_OPEN_RATE, at);
    } catch (RuntimeException failed) {
      opened = true; // the caller knows it may have opened it, and can take it back or raise it
    }

    assertThat(loseNext).hasValue(0); // the acknowledgement was lost
    assertThat(JdbcJourneyAnalyticsStore.of(h2).openEpisodes(T, "hello", 1))
        .containsKey("hello"); // and the insert applied
    assertThat(opened).as("a silent false: no instance raises this episode's alert").isTrue();
  }

  /** A data source whose next {@code n} statement executions run, then throw a lost connection. */
  private static DataSource losesAcks(JdbcDataSource real, AtomicInteger n) {
    return (DataSource)
        Proxy.newProxyInstance(
            EpisodeLostAcknowledgementTest.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (p, m, args) -> {
              Object r = call(real, m, args);
              return r instanceof Connection c ? connection(c, n) : r;
            });
  }

  private static Connection connection(Connection c, AtomicInteger n) {
    InvocationHandler h =
        (p, m, args) -> {
          Object r = call(c, m, args);
          return r instanceof PreparedStatement s ? statement(s, n) : r;
        };
    return (Connection)
        Proxy.newProxyInstance(
            EpisodeLostAcknowledgementTest.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            h);
  }

  private static PreparedStatement statement(PreparedStatement s, AtomicInteger n) {
    InvocationHandler h =
        (p, m, args) -> {
          Object r = call(s, m, args);
          if (m.getName().startsWith("execute")
              && !m.getName().equals("executeQuery")
              && n.getAndUpdate(x -> x > 0 ? x - 1 : 0) > 0) {
            throw new SQLException("connection lost before the acknowledgement", "08006");
          }
          return r;
        };
    return (PreparedStatement)
        Proxy.newProxyInstance(
            EpisodeLostAcknowledgementTest.class.getClassLoader(),
            new Class<?>[] {PreparedStatement.class},
            h);
  }

  private static Object call(Object target, java.lang.reflect.Method m, Object[] args)
      throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
