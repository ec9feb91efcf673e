package dev.steward;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.JdbcTaskStore;
import dev.steward.journey.JourneyTask;
import dev.steward.journey.TaskEmail;
import dev.steward.journey.TaskState;
import dev.steward.journey.TaskStore;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.TenantId;
import dev.steward.testing.RecordingTransport;
import dev.steward.testing.SettableClock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * {@link Steward}'s erasure reaches journeys' human tasks in the database, and only those meant.
 */
class StewardTaskErasureTest {
  private static final TenantId ACME = TenantId.of("acme");
  private static final TenantId GLOBEX = TenantId.of("globex");
  private static final ContactId ANN = ContactId.of("ann");
  private static final ContactId BOB = ContactId.of("bob");
  private static final Instant T0 = Instant.parse("2026-06-01T09:00:00Z");

  private static JourneyTask task(TenantId t, String id, ContactId c) {
    return new JourneyTask(
        t,
        id,
        "renewal",
        "e-" + id,
        "csm-call",
        "csm-check-in",
        AccountId.of("a"),
        c,
        "carla",
        Optional.empty(),
        Optional.of(TaskEmail.template("tpl", Map.of())),
        T0,
        T0,
        T0,
        TaskState.OPEN,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        T0,
        T0,
        Optional.empty());
  }

  @Test
  void erasingAContactOrATenantErasesItsTasks() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:task-erasure-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    TaskStore tasks = JdbcTaskStore.of(ds);
    Steward steward =
        Steward.builder(SettableClock.of(T0))
            .stores(JdbcStores.bootstrapped(ds))
            .transport(RecordingTransport.of())
            .tasks(tasks)
            .build();
    tasks.create(task(ACME, "task-1", ANN));
    tasks.create(task(ACME, "task-2", BOB));
    tasks.create(task(GLOBEX, "task-1", ANN));

    steward.eraseContact(ACME, ANN);
    assertThat(tasks.find(ACME, "task-1")).isEmpty();
    assertThat(tasks.find(ACME, "task-2")).isPresent();
    assertThat(tasks.find(GLOBEX, "task-1")).isPresent();

    steward.eraseTenant(ACME);
    assertThat(tasks.find(ACME, "task-2")).isEmpty();
    assertThat(tasks.find(GLOBEX, "task-1")).isPresent();
  }
}
