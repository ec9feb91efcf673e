package dev.steward.onboarding.internal;

import dev.steward.model.MessageId;
import dev.steward.model.TenantId;
import dev.steward.onboarding.InvalidOnboardingInputException;
import dev.steward.onboarding.OnboardingRecord;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStore;
import dev.steward.onboarding.PilotState;
import java.time.LocalDate;
import java.util.Optional;

/** The refusals every {@link OnboardingStore} makes, so all keep one contract. Not exported. */
public final class StoreChecks {
  private StoreChecks() {}

  /** Refuses a record that cannot be a tenant's first. */
  public static void insert(OnboardingRecord record) {
    notNull("record", record);
    if (record.version() != 1) {
      throw new InvalidOnboardingInputException(
          "a new record must have version 1, was " + record.version());
    }
  }

  /**
   * {@code first} (a version-1 record) as the first record of an enrolment that follows an erased
   * one of version {@code erasedVersion}: the same record one version past it.
   */
  public static OnboardingRecord after(long erasedVersion, OnboardingRecord first) {
    return new OnboardingRecord(
        first.tenant(),
        first.state(),
        erasedVersion + 1,
        first.enrolledBy(),
        first.enrolledAt(),
        first.enteredAt(),
        first.transitions(),
        first.verdicts(),
        first.resumeTo());
  }

  /** Refuses a replacement whose version does not follow {@code expectedVersion}. */
  public static void replace(long expectedVersion, OnboardingRecord next) {
    notNull("next", next);
    if (next.version() != expectedVersion + 1) {
      throw new InvalidOnboardingInputException(
          "next must have version "
              + (expectedVersion + 1)
              + " (expectedVersion + 1), was "
              + next.version());
    }
  }

  /** Refuses bad paging arguments. */
  public static void list(OnboardingState state, Optional<TenantId> after, int limit) {
    notNull("state", state);
    notNull("after", after);
    if (limit < 1 || limit > OnboardingStore.MAX_PAGE) {
      throw new InvalidOnboardingInputException(
          "limit must be 1 to " + OnboardingStore.MAX_PAGE + ", was " + limit);
    }
  }

  /** Refuses a null {@code value} named {@code field}. */
  public static <T> T notNull(String field, T value) {
    if (value == null) {
      throw new InvalidOnboardingInputException(field + " must not be null");
    }
    return value;
  }

  /** Refuses a pilot-state change that returned null or another tenant's state. */
  public static PilotState pilotChange(TenantId tenant, PilotState next) {
    if (next == null) {
      throw new InvalidOnboardingInputException(
          "the pilot state change for " + tenant + " returned null");
    }
    if (!next.tenant().equals(tenant)) {
      throw new InvalidOnboardingInputException(
          "the pilot state change for " + tenant + " returned the state of " + next.tenant());
    }
    return next;
  }

  /** Refuses a null day argument. */
  public static void day(TenantId tenant, LocalDate day, MessageId message) {
    notNull("tenant", tenant);
    notNull("day", day);
    notNull("message", message);
  }

  /** Refuses bad reservation arguments. */
  public static void reserve(TenantId tenant, LocalDate day, MessageId message, long limit) {
    day(tenant, day, message);
    if (limit < 0) {
      throw new InvalidOnboardingInputException("limit must not be negative, was " + limit);
    }
  }
}
