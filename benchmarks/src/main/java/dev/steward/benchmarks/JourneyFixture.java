package dev.steward.benchmarks;

import dev.steward.Steward;
import dev.steward.Stores;
import dev.steward.delivery.DispatchResult;
import dev.steward.delivery.MailTransport;
import dev.steward.delivery.SendResult;
import dev.steward.frequency.Cap;
import dev.steward.frequency.CapPolicy;
import dev.steward.frequency.Window;
import dev.steward.journey.ContactProfile;
import dev.steward.journey.JourneyDefinition;
import dev.steward.journey.JourneyScheduler;
import dev.steward.journey.ReEntry;
import dev.steward.journey.Step;
import dev.steward.model.AccountId;
import dev.steward.model.ContactId;
import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.model.MessageKind;
import dev.steward.model.Source;
import dev.steward.model.TenantId;
import dev.steward.schedule.WorkRunner;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What the journey benchmarks share: the journeys (sends only, or sends spaced by waits), the
 * contacts ({@code "c0"}, {@code "c1"}, ... of one tenant, each with an address, a zone and two
 * attributes), a cap policy with the benchmark's cap shapes and limits no run reaches (so every
 * gate runs and none refuses), a Steward over given stores with journeys on, and a transport that
 * counts each (contact, template) it is handed, so a run proves every step sent exactly once.
 */
final class JourneyFixture {

  static final TenantId TENANT = TenantId.of("tenant-1");
  static final String CATEGORY = "onboarding";

  /** The journey of one send: one step per enrolment, the shape db-scheduler's tasks mirror. */
  static final JourneyDefinition ONE_SEND = sends("bench-one-send", 1, Optional.empty());

  private JourneyFixture() {}

  /**
   * A journey of {@code sends} send steps ({@code s0}, {@code s1}, ..., templates {@code tpl-0},
   * ...), each but the last followed by a wait of {@code gap} when given; re-entry always, so a
   * contact may go through it again in a later round.
   */
  static JourneyDefinition sends(String id, int sends, Optional<Duration> gap) {
    JourneyDefinition.Builder b = JourneyDefinition.builder(id, 1).reEntry(ReEntry.always());
    for (int k = 0; k < sends; k++) {
      String next = k + 1 < sends ? (gap.isPresent() ? "w" + k : "s" + (k + 1)) : null;
      b.step(Step.Send.of("s" + k, "tpl-" + k, MessageKind.EDUCATIONAL, CATEGORY, next));
      if (next != null && gap.isPresent()) {
        b.step(new Step.Wait("w" + k, gap.get(), Optional.of("s" + (k + 1))));
      }
    }
    return b.build();
  }

  /**
   * Caps of the benchmark's shapes with limits no run reaches: every send is counted, none held.
   */
  static CapPolicy policy() {
    return CapPolicy.builder()
        .cap(Cap.perContact(100_000, Window.rolling(Duration.ofDays(7))))
        .cap(Cap.perContact(100_000, Window.rolling(Duration.ofDays(30))))
        .cap(Cap.perContact(100_000, Window.rolling(Duration.ofDays(1))).eachCategory())
        .build();
  }

  static ContactId contact(int i) {
    return ContactId.of("c" + i);
  }

  static ContactProfile profile(int i) {
    ContactId c = contact(i);
    return new ContactProfile(
        TENANT,
        c,
        AccountId.of("account-" + i / 10),
        Optional.of(EmailAddress.of(c.value() + "@example.com")),
        Optional.of(ZoneOffset.UTC),
        Map.of("first_name", "Ann", "plan", "pro"));
  }

  /**
   * How journey steps run unless a benchmark says: {@code default} (what {@link
   * JourneyScheduler#registerWith} registers by default: the steps of a claim read, plan and
   * dispatch together, except over stores all in memory, where each runs alone), {@code batch} or
   * {@code single} (each step alone), for comparison; {@code -Dbench.steps}.
   */
  static final String STEP_MODE = System.getProperty("bench.steps", "default");

  /**
   * True for {@code batch}, false for {@code single}, empty (the scheduler's default) for {@code
   * default}; anything else is refused.
   */
  static Optional<Boolean> batchSteps(String steps) {
    return switch (steps) {
      case "default" -> Optional.empty();
      case "batch" -> Optional.of(true);
      case "single" -> Optional.of(false);
      default ->
          throw new IllegalArgumentException(
              "bench.steps is default, batch or single, was " + steps);
    };
  }

  /**
   * A Steward over {@code stores} sending through {@code transport}, running {@code journeys}, its
   * steps as {@link #STEP_MODE} says.
   */
  static Steward steward(
      Clock clock,
      Stores stores,
      MailTransport transport,
      Consumer<WorkRunner.Builder> runner,
      JourneyDefinition... journeys) {
    return steward(clock, stores, transport, runner, batchSteps(STEP_MODE), journeys);
  }

  /**
   * As above, the steps in batches or each alone as {@code batchSteps} says (empty: as the
   * scheduler does by default).
   */
  static Steward steward(
      Clock clock,
      Stores stores,
      MailTransport transport,
      Consumer<WorkRunner.Builder> runner,
      Optional<Boolean> batchSteps,
      JourneyDefinition... journeys) {
    return Steward.builder(clock)
        .stores(stores)
        .transport(transport)
        .capPolicy(policy())
        .runner(runner)
        .journeys(
            j -> {
              batchSteps.ifPresent(j::batchSteps);
              for (JourneyDefinition d : journeys) {
                j.journey(d);
              }
            })
        .build();
  }

  static JourneyScheduler journeys(Steward steward) {
    return steward.journeys().orElseThrow();
  }

  /**
   * The message a journey's send step {@code s0} would dispatch for contact {@code i}, built from
   * its stored profile as the step builds it: what db-scheduler's one-off tasks hand the same
   * dispatcher. {@code id} makes it a new message (ids and idempotency keys must not repeat).
   */
  static Message message(ContactProfile p, String id, java.time.Instant now) {
    return Message.builder()
        .id(MessageId.of(id))
        .idempotencyKey(id)
        .tenant(p.tenant())
        .account(p.account())
        .contact(p.contact())
        .to(p.email().orElseThrow())
        .recipientZone(p.zone().orElseThrow())
        .kind(MessageKind.EDUCATIONAL)
        .category(CATEGORY)
        .source(Source.journey(JourneyDefinition.DEFAULT_TEAM, "bench-one-send", "s0"))
        .templateId("tpl-0")
        .personalisation(new java.util.LinkedHashMap<String, Object>(p.attributes()))
        .createdAt(now)
        .build();
  }

  /** Throws unless the dispatcher sent the message. */
  static void requireSent(DispatchResult r, String what) {
    if (r.status() != dev.steward.delivery.DispatchStatus.SENT) {
      throw new IllegalStateException(what + " was not sent: " + r.status() + " " + r.decision());
    }
  }

  /**
   * A transport that accepts everything and counts, per contact and template, the messages handed
   * to it (contact {@code "c<i>"}, template {@code "tpl-<k>"} is slot {@code i * sends + k}); swap
   * the tally between drains with {@link #reset}. Thread-safe.
   */
  static final class Tally implements MailTransport {
    private volatile AtomicIntegerArray counts;
    private volatile int sends;
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong ids = new AtomicLong();

    Tally(int contacts, int sends) {
      reset(contacts, sends);
    }

    /** A fresh count for {@code contacts} contacts of {@code sends} templates each. */
    void reset(int contacts, int sends) {
      this.sends = sends;
      this.counts = new AtomicIntegerArray(contacts * sends);
      total.set(0);
    }

    @Override
    public SendResult send(Message m) {
      int contact = Integer.parseInt(m.contact().value().substring(1));
      int template = Integer.parseInt(m.templateId().substring(4));
      counts.incrementAndGet(contact * sends + template);
      total.incrementAndGet();
      return SendResult.accepted("bench-" + ids.incrementAndGet());
    }

    /** Messages sent since the last reset, repeats included. */
    long total() {
      return total.get();
    }

    /** Throws unless every (contact, template) was sent exactly once. */
    void verifyExactlyOnce(String who) {
      AtomicIntegerArray c = counts;
      int missing = 0;
      int repeated = 0;
      for (int i = 0; i < c.length(); i++) {
        int n = c.get(i);
        if (n == 0) {
          missing++;
        } else if (n > 1) {
          repeated++;
        }
      }
      if (missing > 0 || repeated > 0) {
        throw new IllegalStateException(
            who
                + ": of "
                + c.length()
                + " steps "
                + missing
                + " never sent and "
                + repeated
                + " sent more than once");
      }
    }
  }
}
