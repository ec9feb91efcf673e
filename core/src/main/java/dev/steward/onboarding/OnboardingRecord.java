package dev.steward.onboarding;

import dev.steward.model.TenantId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable onboarding record of one tenant: its state, when it entered each state, the audit
 * trail of every move and every gate verdict, and a version that each change raises by one (stores
 * apply a change only over the version it was computed from, so two instances cannot both move a
 * tenant).
 *
 * @param tenant the tenant
 * @param state where it stands now
 * @param version 1 when enrolled, one more for each change; a tenant enrolled again after an
 *     erasure continues past the erased record's version, so a tenant's versions never repeat
 * @param enrolledBy who enrolled it
 * @param enrolledAt when
 * @param enteredAt when it last entered each state it has been in
 * @param transitions every move, oldest first
 * @param verdicts every gate verdict, oldest first
 * @param resumeTo the state a governance state steps down to: the one it escalated from
 */
public record OnboardingRecord(
    TenantId tenant,
    OnboardingState state,
    long version,
    Actor enrolledBy,
    Instant enrolledAt,
    Map<OnboardingState, Instant> enteredAt,
    List<Transition> transitions,
    List<PhaseVerdict> verdicts,
    Optional<OnboardingState> resumeTo) {

  public OnboardingRecord {
    Checks.notNull("tenant", tenant);
    Checks.notNull("state", state);
    if (version < 1) {
      throw new InvalidOnboardingInputException("version must be at least 1, was " + version);
    }
    Checks.notNull("enrolledBy", enrolledBy);
    Checks.notNull("enrolledAt", enrolledAt);
    Checks.notNull("enteredAt", enteredAt);
    enteredAt = enteredAt.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(enteredAt));
    if (!enteredAt.containsKey(state)) {
      throw new InvalidOnboardingInputException("enteredAt has no time for the state " + state);
    }
    transitions = List.copyOf(Checks.notNull("transitions", transitions));
    verdicts = List.copyOf(Checks.notNull("verdicts", verdicts));
    Checks.notNull("resumeTo", resumeTo);
  }

  /** A tenant just enrolled: in {@link OnboardingState#VETTING}, version 1, nothing recorded. */
  public static OnboardingRecord enrolled(TenantId tenant, Actor by, Instant at) {
    return new OnboardingRecord(
        tenant,
        OnboardingState.VETTING,
        1,
        by,
        at,
        Map.of(OnboardingState.VETTING, at),
        List.of(),
        List.of(),
        Optional.empty());
  }

  /** When the tenant last entered {@code s}, if it ever did. */
  public Optional<Instant> enteredAt(OnboardingState s) {
    return Optional.ofNullable(enteredAt.get(s));
  }

  /** The newest verdict on {@code phase}, if any. */
  public Optional<PhaseVerdict> latestVerdict(OnboardingPhase phase) {
    for (int i = verdicts.size() - 1; i >= 0; i--) {
      if (verdicts.get(i).phase() == phase) {
        return Optional.of(verdicts.get(i));
      }
    }
    return Optional.empty();
  }

  /**
   * True when the gate {@code phase} is cleared for the tenant's current attempt (the verdicts
   * since it last entered the phase's state): the newest verdict passes, and, if any verdict of the
   * attempt failed or asked for review, that pass came from a person. A rule can clear a gate only
   * while nothing has gone wrong in it.
   */
  public boolean cleared(OnboardingPhase phase) {
    Optional<Instant> since = enteredAt(gateState(phase));
    if (since.isEmpty()) {
      return false;
    }
    List<PhaseVerdict> attempt = new ArrayList<>();
    for (PhaseVerdict v : verdicts) {
      if (v.phase() == phase && !v.at().isBefore(since.get())) {
        attempt.add(v);
      }
    }
    if (attempt.isEmpty()) {
      return false;
    }
    PhaseVerdict last = attempt.get(attempt.size() - 1);
    if (last.verdict() != Verdict.PASS) {
      return false;
    }
    boolean troubled = attempt.stream().anyMatch(v -> v.verdict() != Verdict.PASS);
    return !troubled || last.by().isHuman();
  }

  /** The state in which the gate {@code phase} is decided. */
  static OnboardingState gateState(OnboardingPhase phase) {
    return switch (phase) {
      case VETTING -> OnboardingState.VETTING;
      case SENDER_DOMAIN_VERIFICATION -> OnboardingState.DOMAIN_VERIFICATION;
      case CONTENT_REVIEW -> OnboardingState.CONTENT_REVIEW;
      default -> throw new InvalidOnboardingInputException("phase " + phase + " is not a gate");
    };
  }

  /** This record moved by {@code t}, one version on. */
  OnboardingRecord moved(Transition t, Optional<OnboardingState> newResumeTo) {
    Map<OnboardingState, Instant> entered = new EnumMap<>(OnboardingState.class);
    entered.putAll(enteredAt);
    entered.put(t.to(), t.at());
    List<Transition> trail = new ArrayList<>(transitions);
    trail.add(t);
    return new OnboardingRecord(
        tenant, t.to(), version + 1, enrolledBy, enrolledAt, entered, trail, verdicts, newResumeTo);
  }

  /** This record with {@code v} appended, one version on. */
  OnboardingRecord withVerdict(PhaseVerdict v) {
    List<PhaseVerdict> all = new ArrayList<>(verdicts);
    all.add(v);
    return new OnboardingRecord(
        tenant, state, version + 1, enrolledBy, enrolledAt, enteredAt, transitions, all, resumeTo);
  }
}
