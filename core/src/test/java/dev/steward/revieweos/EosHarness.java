package dev.steward.revieweos;

import static org.assertj.core.api.Assertions.fail;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.jdbc.JdbcStores;
import dev.steward.jdbc.TestDatabases;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.onboarding.Actor;
import dev.steward.onboarding.OnboardingPhase;
import dev.steward.onboarding.OnboardingState;
import dev.steward.onboarding.OnboardingStateMachine;
import dev.steward.onboarding.PhaseVerdict;
import dev.steward.onboarding.SenderIdentities;
import dev.steward.onboarding.Verdict;
import dev.steward.testing.SettableClock;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/** What the end-of-service review tests share: stores per backend, tenants moved along, mail. */
final class EosHarness {
  static final Actor RULE = Actor.rule("test");
  static final Actor PERSON = Actor.human("trust@isv");

  /** The longest tenant id, in other scripts, with a character outside the BMP. */
  static final TenantId LONG;

  static {
    String base = "租户-Ωμέγα-😀-";
    LONG = TenantId.of(base + "x".repeat(200 - base.length()));
  }

  static final SenderIdentities SENDERS =
      new SenderIdentities() {
        @Override
        public Optional<EmailAddress> from(Message message) {
          return Optional.of(EmailAddress.of("news@acme.example"));
        }

        @Override
        public boolean domainAuthenticated(TenantId tenant, String domain) {
          return true;
        }
      };

  private EosHarness() {}

  /**
   * Fresh stores for {@code n} instances over one set of data on {@code backend} ("memory": one
   * shared set of stores; "h2", "postgres": one database, each instance its own data source).
   */
  static Stores[] instances(String backend, int n, Clock clock) {
    Stores[] out = new Stores[n];
    if (backend.equals("memory")) {
      Stores shared = Stores.inMemory(clock);
      java.util.Arrays.fill(out, shared);
      return out;
    }
    TestDatabases db =
        backend.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2(EosHarness.class);
    db.clear();
    for (int i = 0; i < n; i++) {
      out[i] = JdbcStores.of(db.dataSource());
    }
    return out;
  }

  /** Runs due work until none is left. */
  static void drain(Steward steward) {
    for (int i = 0; i < 200; i++) {
      if (steward.runDue() == 0) {
        return;
      }
    }
    fail("due work never ran out");
  }

  /** Runs due work until none is left, swallowing what the runner throws (a dying instance). */
  static void drainQuietly(Steward steward) {
    try {
      drain(steward);
    } catch (RuntimeException e) {
      // the instance died: whatever it left is for the others
    }
  }

  /** Enrols {@code t} and moves it through the gates into {@code to} (PILOT or ACTIVE). */
  static void into(OnboardingStateMachine m, TenantId t, OnboardingState to, SettableClock clock) {
    m.enrol(t, RULE);
    OnboardingPhase[] gates = {
      OnboardingPhase.VETTING,
      OnboardingPhase.SENDER_DOMAIN_VERIFICATION,
      OnboardingPhase.CONTENT_REVIEW
    };
    OnboardingState[] next = {
      OnboardingState.DOMAIN_VERIFICATION, OnboardingState.CONTENT_REVIEW, OnboardingState.PILOT
    };
    for (int i = 0; i < 3; i++) {
      m.recordVerdict(
          t, new PhaseVerdict(gates[i], Verdict.PASS, RULE, clock.instant(), "ok", List.of()));
      m.transition(t, next[i], RULE, "passed");
    }
    if (to == OnboardingState.PILOT) {
      return;
    }
    m.transition(t, OnboardingState.POOL_ASSIGNMENT, RULE, "graduated");
    m.transition(t, OnboardingState.ACTIVE, RULE, "placed by hand");
  }

  /** A message of {@code kind} from {@code tenant}, with a fresh id and contact. */
  static Message message(TenantId tenant, MessageKind kind, String id, Clock clock) {
    return Message.builder()
        .id(MessageId.of(id))
        .tenant(tenant)
        .account(AccountId.of("globex"))
        .contact(ContactId.of("c-" + id))
        .to("c-" + id + "@example.com")
        .kind(kind)
        .category(kind == MessageKind.TRANSACTIONAL ? "receipts" : "offers")
        .source(kind == MessageKind.TRANSACTIONAL ? Source.PRODUCT : Source.MARKETING)
        .createdAt(clock.instant())
        .build();
  }

  /**
   * {@code delegate} behind {@code type}, except that calls for which {@code override} answers
   * non-null get that answer (or its throw); the rest go to the delegate.
   */
  @SuppressWarnings("unchecked")
  static <T> T intercept(Class<T> type, T delegate, BiFunction<String, Object[], Object> override) {
    InvocationHandler h =
        (proxy, method, args) -> {
          Object answer = override.apply(method.getName(), args);
          if (answer != null) {
            return answer;
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h);
  }
}
