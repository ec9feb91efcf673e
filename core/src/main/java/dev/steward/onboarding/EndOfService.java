package dev.steward.onboarding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.InvalidWorkException;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.Recurring;
import dev.steward.schedule.RetryPolicy;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out an {@link EndOfServicePolicy} (onboarding's phase 8): add it to the state machine as
 * an {@link OnboardingListener} and register it with a runner ({@link #register}). When a tenant
 * enters {@link OnboardingState#TERMINATED} it stores two items of due work under the tenant, each
 * with an id stable for that termination (so however many instances hear it, each is stored once):
 *
 * <ul>
 *   <li>a notice ({@value #NOTICE_KIND}), due at once, telling every {@link EndOfServiceListener};
 *       a listener that throws fails the delivery, retried with back-off ({@link #NOTICE_RETRY},
 *       then DEAD for an operator), and every listener hears it again;
 *   <li>unless the policy holds the data ({@link EndOfServicePolicy#legalHold()}), an erasure
 *       ({@value #ERASE_KIND}) due at the end of the retention, which erases the tenant's data
 *       through the eraser given (Steward's {@code eraseTenant}) once: the work store lets one
 *       instance claim it, and an erasure cut short is finished (see below). It is dropped if by
 *       then the tenant's record is no longer the one terminated then (a person erased it, or
 *       enrolled the tenant again), and runs under the policy in force when it runs, not the one it
 *       was stored under: a legal hold put on since drops it (the sweep stores it again once the
 *       hold is lifted), a longer retention puts it off. A sweep ({@value #SWEEP_KIND}, every
 *       {@link #SWEEP_EVERY}) stores the erasure of every terminated tenant that has none, so an
 *       instance that dies between the move and storing its work loses no erasure (its notice,
 *       though, is then not told).
 * </ul>
 *
 * <p>The eraser cancels all of the tenant's due work, the erasure's own item and a notice still
 * pending included, and erases the onboarding record the erasure is checked against. So before it
 * starts, the erasure stores a resumption ({@value #RESUME_KIND}) under {@link
 * Recurring#SYSTEM_TENANT}, which the eraser does not cancel, due {@link #RESUME_AFTER} later: if a
 * store fails or the instance dies in the middle, it erases what is left (retried with {@link
 * #ERASE_RETRY}, then DEAD for an operator), unless the tenant has been enrolled again. A notice
 * still pending is stored again after the erasure, so it is told all the same.
 *
 * <p>The tenant's mail is the {@link TenantGate}'s (see {@link TenantGate.Builder#endOfService}):
 * mail deferred before the termination is refused by the gate when it comes due, with the policy's
 * reason.
 */
public final class EndOfService implements OnboardingListener {
  private static final Logger LOG = LoggerFactory.getLogger(EndOfService.class);

  /** The work kind of a pending end-of-service notice. */
  public static final String NOTICE_KIND = "steward.onboarding.end-of-service-notice";

  /**
   * The work kind of the sweep that gives every terminated tenant its erasure, in case the instance
   * that terminated it died before storing it.
   */
  public static final String SWEEP_KIND = "steward.onboarding.end-of-service-sweep";

  /** How often the sweep runs. */
  public static final Duration SWEEP_EVERY = Duration.ofHours(6);

  /** The work kind of a terminated tenant's erasure at the end of its retention. */
  public static final String ERASE_KIND = "steward.onboarding.end-of-service-erasure";

  /**
   * The work kind of the resumption of an erasure begun: stored under {@link
   * Recurring#SYSTEM_TENANT} before the erasure starts and removed when it ends, it finishes an
   * erasure cut short by a failing store or a dying instance.
   */
  public static final String RESUME_KIND = "steward.onboarding.end-of-service-erasure-resume";

  /**
   * How long after an erasure began its resumption is due: long enough for the erasure to end first
   * on the instance running it.
   */
  public static final Duration RESUME_AFTER = Duration.ofMinutes(15);

  /**
   * How a resumed erasure that fails is retried: a minute, doubling up to an hour apart, 30
   * attempts (about a day), then DEAD.
   */
  public static final RetryPolicy ERASE_RETRY =
      new RetryPolicy(30, Duration.ofMinutes(1), Duration.ofHours(1));

  /**
   * How a notice whose listener threw is retried: 30 seconds, doubling up to an hour apart, 50
   * attempts (about two days), then DEAD.
   */
  public static final RetryPolicy NOTICE_RETRY =
      new RetryPolicy(50, Duration.ofSeconds(30), Duration.ofHours(1));

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final WorkType<Instant> TERMINATION =
      WorkType.of(NOTICE_KIND, 1, EndOfService::write, EndOfService::read);
  private static final WorkType<Instant> ERASURE =
      WorkType.of(ERASE_KIND, 1, EndOfService::write, EndOfService::read);
  private static final WorkType<Resume> RESUMPTION =
      WorkType.of(RESUME_KIND, 1, Resume::write, Resume::read);

  private final OnboardingStateMachine machine;
  private final WorkStore work;
  private final EndOfServicePolicy policy;
  private final Consumer<TenantId> eraser;
  private final List<EndOfServiceListener> listeners;

  private EndOfService(Builder b) {
    this.machine = b.machine;
    this.work = b.work;
    this.policy = b.policy;
    this.eraser = b.eraser;
    this.listeners = List.copyOf(b.listeners);
  }

  /**
   * A builder carrying out {@code policy} for the tenants of {@code machine}, keeping its due work
   * in {@code work} and erasing a tenant through {@code eraser}.
   */
  public static Builder builder(
      OnboardingStateMachine machine,
      WorkStore work,
      EndOfServicePolicy policy,
      Consumer<TenantId> eraser) {
    return new Builder(machine, work, policy, eraser);
  }

  /** The policy carried out. */
  public EndOfServicePolicy policy() {
    return policy;
  }

  /**
   * Adds the notices and erasures to {@code runner}, whose store must be the one given to the
   * builder; returns {@code runner}.
   */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Checks.notNull("runner", runner);
    if (runner.store() != work) {
      throw new InvalidOnboardingInputException(
          "the end of service keeps its work in another work store than the runner's: it would"
              + " never run");
    }
    runner.handler(
        TERMINATION, WorkHandler.sync(this::tell), KindSettings.DEFAULT.withRetry(NOTICE_RETRY));
    runner.handler(ERASURE, WorkHandler.sync(this::erase), KindSettings.DEFAULT);
    runner.handler(
        RESUMPTION, WorkHandler.sync(this::resume), KindSettings.DEFAULT.withRetry(ERASE_RETRY));
    if (!policy.legalHold()) {
      Recurring.builder(SWEEP_KIND, this::sweep).every(SWEEP_EVERY).build().register(runner);
    }
    return runner;
  }

  @Override
  public void onEvent(OnboardingEvent event) {
    if (!(event instanceof OnboardingEvent.PhaseChanged changed)
        || changed.transition().to() != OnboardingState.TERMINATED) {
      return;
    }
    TenantId tenant = changed.tenant();
    Instant at = changed.transition().at();
    String id = idOf(changed.record().enrolledAt(), at);
    work.schedule(
        WorkItem.builder(tenant, NOTICE_KIND, id).payload(write(at)).dueAt(at).build(),
        IfExists.KEEP);
    Optional<Instant> eraseAt = policy.eraseAt(at);
    if (eraseAt.isPresent()) {
      work.schedule(
          WorkItem.builder(tenant, ERASE_KIND, id).payload(write(at)).dueAt(eraseAt.get()).build(),
          IfExists.KEEP);
    }
    LOG.info(
        "tenant {} terminated: end of service notice due now, erasure {}",
        tenant,
        eraseAt.map(Instant::toString).orElse("held (legal hold)"));
  }

  /** Stores the erasure of up to {@code max} terminated tenants (KEEP: one each); how many. */
  int sweep(int max) {
    int seen = 0;
    Optional<TenantId> after = Optional.empty();
    while (seen < max) {
      int want = Math.min(max - seen, OnboardingStore.MAX_PAGE);
      List<TenantId> page = machine.tenants(OnboardingState.TERMINATED, after, want);
      for (TenantId t : page) {
        Optional<OnboardingRecord> r = machine.find(t);
        Optional<Instant> at = r.flatMap(x -> x.enteredAt(OnboardingState.TERMINATED));
        if (r.isPresent() && r.get().state() == OnboardingState.TERMINATED && at.isPresent()) {
          work.schedule(
              WorkItem.builder(t, ERASE_KIND, idOf(r.get().enrolledAt(), at.get()))
                  .payload(write(at.get()))
                  .dueAt(policy.eraseAt(at.get()).orElseThrow())
                  .build(),
              IfExists.KEEP);
        }
      }
      seen += page.size();
      if (page.size() < want) {
        break;
      }
      after = Optional.of(page.get(page.size() - 1));
    }
    return seen < max ? seen : max;
  }

  private Next tell(WorkContext<Instant> w) {
    TenantId tenant = w.item().key().tenant();
    Instant at = w.payload();
    EndOfServiceNotice notice =
        new EndOfServiceNotice(
            tenant,
            at,
            policy.graceUntil(at),
            policy.eraseAt(at),
            tenant.value() + "/" + w.item().key().id());
    RuntimeException failed = null;
    for (EndOfServiceListener l : listeners) {
      try {
        l.onTerminated(notice);
      } catch (RuntimeException ex) {
        LOG.warn("end-of-service listener failed on tenant {}", tenant, ex);
        if (failed == null) {
          failed = ex;
        } else {
          failed.addSuppressed(ex);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    return Next.done();
  }

  private Next erase(WorkContext<Instant> w) {
    TenantId tenant = w.item().key().tenant();
    String id = w.item().key().id();
    Instant at = w.payload();
    Optional<OnboardingRecord> r = machine.find(tenant);
    if (r.isEmpty()
        || r.get().state() != OnboardingState.TERMINATED
        || !r.get().enteredAt(OnboardingState.TERMINATED).equals(Optional.of(at))) {
      LOG.info(
          "end-of-service erasure of tenant {} dropped: it is no longer that terminated", tenant);
      return Next.done();
    }
    // the policy in force now decides, not the one the item was stored under
    Optional<Instant> eraseAt = policy.eraseAt(at);
    if (eraseAt.isEmpty()) {
      LOG.info(
          "end-of-service erasure of tenant {} dropped: the policy holds the data (legal hold);"
              + " the sweep stores it again once the hold is lifted",
          tenant);
      return Next.done();
    }
    if (w.startedAt().isBefore(eraseAt.get())) {
      LOG.info("end-of-service erasure of tenant {} put off to {}", tenant, eraseAt.get());
      return Next.rescheduleAt(eraseAt.get());
    }
    // the eraser cancels the tenant's work (this item and a pending notice with it) and erases
    // the record checked above: what finishes an erasure cut short is stored where it cannot
    Optional<WorkItem> notice = work.find(WorkKey.of(tenant, NOTICE_KIND, id));
    WorkKey resumeKey = resumeKey(tenant, id);
    work.schedule(
        WorkItem.builder(resumeKey)
            .payload(Resume.write(new Resume(tenant, id, at, notice.isPresent())))
            .dueAt(w.startedAt().plus(RESUME_AFTER))
            .build(),
        IfExists.KEEP);
    LOG.info("tenant {}: erasing its data, retention after termination over", tenant);
    eraseKeeping(tenant, notice);
    work.cancel(resumeKey);
    return Next.done();
  }

  /**
   * Erases the tenant's data now through the eraser, as a person does before the retention ends
   * (Steward's {@code eraseTenant} comes here when the end of service is on): the eraser cancels
   * the tenant's due work, and a notice of its termination not yet told is stored again afterwards
   * (even if the eraser fails), so that the ISV still hears of it.
   */
  public void eraseNow(TenantId tenant) {
    Checks.notNull("tenant", tenant);
    Optional<OnboardingRecord> r = machine.find(tenant);
    Optional<Instant> at = r.flatMap(x -> x.enteredAt(OnboardingState.TERMINATED));
    Optional<WorkItem> notice =
        r.isPresent() && r.get().state() == OnboardingState.TERMINATED && at.isPresent()
            ? work.find(WorkKey.of(tenant, NOTICE_KIND, idOf(r.get().enrolledAt(), at.get())))
            : Optional.empty();
    eraseKeeping(tenant, notice);
  }

  /** Erases through the eraser; stores {@code notice} again afterwards, as it stood. */
  private void eraseKeeping(TenantId tenant, Optional<WorkItem> notice) {
    try {
      eraser.accept(tenant);
    } finally {
      // the notice not yet taken is told all the same, as it stood (attempts, or DEAD)
      notice.ifPresent(n -> work.schedule(n, IfExists.KEEP));
    }
  }

  /** Finishes an erasure cut short, unless the tenant has been enrolled again since. */
  private Next resume(WorkContext<Resume> w) {
    Resume p = w.payload();
    Optional<OnboardingRecord> r = machine.find(p.tenant());
    if (r.isPresent()
        && !r.get().enteredAt(OnboardingState.TERMINATED).equals(Optional.of(p.at()))) {
      LOG.info(
          "end-of-service erasure of tenant {} not resumed: it was enrolled again", p.tenant());
      return Next.done();
    }
    LOG.info("tenant {}: resuming the erasure of its data cut short", p.tenant());
    eraser.accept(p.tenant());
    if (p.notice()) {
      work.schedule(
          WorkItem.builder(p.tenant(), NOTICE_KIND, p.id())
              .payload(write(p.at()))
              .dueAt(w.startedAt())
              .build(),
          IfExists.KEEP);
    }
    return Next.done();
  }

  /** The resumption's key: under the system tenant, named by a hash (tenant ids run to 200). */
  private static WorkKey resumeKey(TenantId tenant, String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((tenant.value() + "/" + id).getBytes(StandardCharsets.UTF_8));
      return WorkKey.of(
          Recurring.SYSTEM_TENANT, RESUME_KIND, "eos-" + HexFormat.of().formatHex(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** What a resumption carries: whose erasure, of which termination, and whether to tell. */
  private record Resume(TenantId tenant, String id, Instant at, boolean notice) {
    static String write(Resume r) {
      ObjectNode o = NODES.objectNode();
      o.put("tenant", r.tenant().value());
      o.put("id", r.id());
      o.put("terminatedAt", r.at().toString());
      o.put("notice", r.notice());
      return o.toString();
    }

    static Resume read(String json, int version) {
      JsonNode o =
          StrictJson.read(
              json, "end-of-service resumption payload", (m, e) -> new InvalidWorkException(m, e));
      JsonNode tenant = o.get("tenant");
      JsonNode id = o.get("id");
      JsonNode at = o.get("terminatedAt");
      JsonNode notice = o.get("notice");
      if (tenant == null
          || !tenant.isTextual()
          || id == null
          || !id.isTextual()
          || at == null
          || !at.isTextual()
          || notice == null
          || !notice.isBoolean()) {
        throw new InvalidWorkException(
            "end-of-service resumption payload needs tenant, id, terminatedAt and notice: " + json);
      }
      return new Resume(
          TenantId.of(tenant.asText()),
          id.asText(),
          Instant.parse(at.asText()),
          notice.asBoolean());
    }
  }

  private static String idOf(Instant enrolledAt, Instant terminatedAt) {
    return "eos-" + enrolledAt.toEpochMilli() + "-" + terminatedAt.toEpochMilli();
  }

  private static String write(Instant terminatedAt) {
    ObjectNode o = NODES.objectNode();
    o.put("terminatedAt", terminatedAt.toString());
    return o.toString();
  }

  private static Instant read(String json, int version) {
    JsonNode o =
        StrictJson.read(json, "end-of-service payload", (m, e) -> new InvalidWorkException(m, e));
    JsonNode at = o.get("terminatedAt");
    if (at == null || !at.isTextual()) {
      throw new InvalidWorkException("end-of-service payload has no terminatedAt: " + json);
    }
    return Instant.parse(at.asText());
  }

  /** Configures an {@link EndOfService}. */
  public static final class Builder {
    private final OnboardingStateMachine machine;
    private final WorkStore work;
    private final EndOfServicePolicy policy;
    private final Consumer<TenantId> eraser;
    private final List<EndOfServiceListener> listeners = new ArrayList<>();

    private Builder(
        OnboardingStateMachine machine,
        WorkStore work,
        EndOfServicePolicy policy,
        Consumer<TenantId> eraser) {
      this.machine = Checks.notNull("machine", machine);
      this.work = Checks.notNull("work", work);
      this.policy = Checks.notNull("policy", policy);
      this.eraser = Checks.notNull("eraser", eraser);
    }

    /** Adds a listener told of every termination. */
    public Builder listener(EndOfServiceListener listener) {
      listeners.add(Checks.notNull("listener", listener));
      return this;
    }

    /** The end of service. */
    public EndOfService build() {
      return new EndOfService(this);
    }
  }
}
