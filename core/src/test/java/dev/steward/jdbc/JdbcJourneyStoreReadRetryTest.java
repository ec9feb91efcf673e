package dev.steward.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.journey.ContactProfile;
import dev.steward.journey.EnrolResult;
import dev.steward.journey.Enrolment;
import dev.steward.journey.EnrolmentState;
import dev.steward.journey.ReEntry;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A read of many enrolments or profiles that loses its connection between two of its IN lists is
 * repeated whole and answers what the repeat read: what the lost attempt had read of a contact
 * erased meanwhile is not answered (rb2: one answer map was kept across the attempts).
 */
class JdbcJourneyStoreReadRetryTest {
  private static final TestDatabase DB = TestDatabase.h2(JdbcJourneyStoreReadRetryTest.class);
  private static final JdbcRetryPolicy FAST =
      JdbcRetryPolicy.builder().maxAttempts(4).backoffBase(Duration.ZERO).build();
  private static final TenantId T = TenantId.of("t");
  private static final ContactId GONE = ContactId.of("gone");
  private static final ContactId STAYS = ContactId.of("stays");
  private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

  private static ContactProfile profile(ContactId c) {
    return ContactProfile.of(
        T, c, AccountId.of("acct"), EmailAddress.of(c.value() + "@example.com"), ZoneOffset.UTC);
  }

  private static Enrolment enrolment(String id, ContactId c) {
    return new Enrolment(
        T,
        id,
        c,
        "j-" + id,
        1,
        "first",
        0,
        EnrolmentState.ACTIVE,
        T0,
        T0,
        T0,
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void aReadRepeatedAfterALostConnectionAnswersOnlyWhatTheRepeatRead() {
    DB.clear();
    JdbcJourneyStore plain = JdbcJourneyStore.of(DB.dataSource());
    plain.putContact(profile(GONE));
    plain.putContact(profile(STAYS));
    List<String> ids = new ArrayList<>();
    ids.add("gone-1"); // in the first IN list
    plain.enrol(enrolment("gone-1", GONE), ReEntry.always(), 1_000);
    for (int i = 0; i < JdbcJourneyStore.IN_CHUNK; i++) {
      String id = "stays-" + i;
      ids.add(id);
      assertThat(plain.enrol(enrolment(id, STAYS), ReEntry.always(), 1_000).status())
          .isEqualTo(EnrolResult.Status.ENROLLED);
    }
    FlakyDataSource flaky = new FlakyDataSource(DB.dataSource());
    HookedDataSource hooked = new HookedDataSource(flaky);
    Jdbc jdbc = new Jdbc(hooked, FAST);
    jdbc.dialect();
    JdbcJourneyStore store = new JdbcJourneyStore(jdbc);
    // the first IN list reads gone-1; before the second, the contact is erased elsewhere and the
    // connection is lost: the read is repeated whole
    hooked.before(
        "SELECT",
        () ->
            hooked.before(
                "SELECT",
                () -> {
                  plain.eraseContact(T, GONE);
                  flaky.statement().fail(1, "08006");
                }));

    Map<String, Enrolment> found = store.findAll(T, ids);

    assertThat(flaky.statement().calls()).as("the second list failed once").isGreaterThan(2);
    assertThat(found).doesNotContainKey("gone-1").hasSize(JdbcJourneyStore.IN_CHUNK);
  }
}
