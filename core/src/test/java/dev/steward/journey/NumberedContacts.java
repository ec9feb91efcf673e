package dev.steward.journey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.TenantId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The numbered contacts the batch and attack tests enrol: contact {@code c<i>} at {@code
 * c<i>@example.com} in UTC with no attributes, in account {@code a<i>} unless the test names one.
 */
public final class NumberedContacts {
  private NumberedContacts() {}

  /** Contact {@code c<i>}. */
  public static ContactId contact(int i) {
    return ContactId.of("c" + i);
  }

  /** Contact {@code c<i>}'s profile in {@code account}. */
  public static ContactProfile profile(TenantId tenant, int i, AccountId account) {
    return new ContactProfile(
        tenant,
        contact(i),
        account,
        Optional.of(EmailAddress.of("c" + i + "@example.com")),
        Optional.of(ZoneOffset.UTC),
        Map.of());
  }

  /**
   * Puts contacts {@code c0 .. c<n-1>} (each in its own account {@code a<i>}) into {@code journey}.
   */
  public static void enrolAll(JourneyScheduler journeys, TenantId tenant, int n, String journey) {
    enrolAll(journeys, tenant, n, journey, i -> AccountId.of("a" + i));
  }

  /**
   * Puts contacts {@code c0 .. c<n-1>} into {@code journey}, contact {@code i} in {@code
   * account.apply(i)}; each must be enrolled.
   */
  public static void enrolAll(
      JourneyScheduler journeys,
      TenantId tenant,
      int n,
      String journey,
      IntFunction<AccountId> account) {
    for (int i = 0; i < n; i++) {
      journeys.putContact(profile(tenant, i, account.apply(i)));
      assertThat(journeys.enrol(tenant, contact(i), journey).enrolled())
          .as("c%d enrolled in %s", i, journey)
          .isTrue();
    }
  }

  /** Every enrolment of contacts {@code c0 .. c<n-1>}. */
  public static List<Enrolment> enrolments(JourneyStore store, TenantId tenant, int n) {
    List<Enrolment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.addAll(store.enrolments(tenant, contact(i)));
    }
    return out;
  }
}
