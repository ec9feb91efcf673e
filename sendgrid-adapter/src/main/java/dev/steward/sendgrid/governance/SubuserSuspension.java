package dev.steward.sendgrid.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
import dev.steward.governance.StandingStore;
import dev.steward.model.TenantId;
import dev.steward.schedule.IfExists;
import dev.steward.schedule.KindSettings;
import dev.steward.schedule.Next;
import dev.steward.schedule.WorkContext;
import dev.steward.schedule.WorkHandler;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkRunner;
import dev.steward.schedule.WorkStore;
import dev.steward.schedule.WorkType;
import dev.steward.sendgrid.admin.SendGridAdmin;
import dev.steward.sendgrid.admin.SendGridApiException;
import dev.steward.sendgrid.admin.Subusers;
import dev.steward.sendgrid.admin.TenantSubusers;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StandingListener} that stops a tenant's mail at SendGrid while governance stops it: when
 * a tenant's standing reaches {@link Level#SUSPEND} or {@link Level#TERMINATE} its subuser is
 * disabled, and when it leaves them for a lower level the subuser is enabled again. Steward's own
 * gate stops the tenant first; the disabled subuser holds even for mail sent around Steward.
 *
 * <p>The SendGrid call is due work of kind {@value #KIND}, one item per tenant (due at once), not a
 * call on the evaluating thread: core logs and ignores a listener's exception, so a call that
 * failed there would be lost, while a work item is retried with the kind's back-off (a 429 waits
 * for its reset) and one SendGrid refuses goes DEAD for an operator. The listener itself does no
 * more than store the item: the tenant's subuser is looked up when the item runs, so a failing
 * lookup is retried like a failing call.
 *
 * <p><b>The latest standing wins.</b> Changes can arrive late and out of order (two instances
 * publish after their own commits), a newer change can be made while an older one's call is
 * failing, and a work item can be run twice. So each run decides afresh what SendGrid must hold:
 * with a {@link Builder#standings StandingStore} (recommended) from the tenant's <em>current</em>
 * level there, whatever change scheduled the run; without one from the newest change by its time
 * (an older change is not stored over a newer one waiting). Each run makes one request, never
 * retried within the call: a try waiting inside the API client could land after a newer run's
 * request. Without a standing store, an older change delivered after the newer one's item has
 * completed still wins; give the store to close that gap.
 *
 * <p>Register the kind on the runner ({@link #register}) and the listener on governance ({@code
 * GovernanceEvaluator}'s or {@code Steward}'s standing listeners). A tenant without a subuser is
 * logged at WARN and left alone.
 */
public final class SubuserSuspension implements StandingListener {
  private static final Logger log = LoggerFactory.getLogger(SubuserSuspension.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The work kind. */
  public static final String KIND = "sendgrid.subuser-standing";

  /** The work item id of a tenant's pending change. */
  public static final String ID = "subuser";

  private static final int VERSION = 2;

  private final Subusers subusers;
  private final TenantSubusers names;
  private final WorkStore work;
  private final Clock clock;
  private final KindSettings settings;
  private final Optional<StandingStore> standings;
  private final WorkType<Order> type;

  /**
   * What the newest change known asked of the tenant's subuser, and that change's time. Version 1
   * payloads (with the subuser's name, no time) are read as of the epoch.
   */
  record Order(boolean disabled, Instant at) {
    String encode() {
      return MAPPER
          .createObjectNode()
          .put("disabled", disabled)
          .put("at", at.toString())
          .toString();
    }

    static Order decode(String json, int version) {
      if (version != 1 && version != VERSION) {
        throw new IllegalArgumentException(
            "subuser standing payload version " + version + " unknown");
      }
      try {
        JsonNode o = MAPPER.readTree(json);
        if (!o.path("disabled").isBoolean()) {
          throw new IllegalArgumentException("subuser standing payload lacks disabled");
        }
        Instant at = Instant.EPOCH;
        if (version == VERSION) {
          if (!o.path("at").isTextual()) {
            throw new IllegalArgumentException("subuser standing payload lacks at");
          }
          at = Instant.parse(o.path("at").asText());
        }
        return new Order(o.path("disabled").asBoolean(), at);
      } catch (IOException | java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("subuser standing payload is not readable", e);
      }
    }
  }

  private SubuserSuspension(Builder b) {
    this.subusers = b.admin.subusers();
    this.names = b.names;
    this.work = b.work;
    this.clock = b.clock;
    this.settings = b.settings;
    this.standings = Optional.ofNullable(b.standings);
    this.type = WorkType.of(KIND, VERSION, Order::encode, Order::decode);
  }

  /**
   * A builder: SendGrid with the parent key, the tenants' subusers, the due-work store, a clock.
   */
  public static Builder builder(
      SendGridAdmin admin, TenantSubusers subusers, WorkStore work, Clock clock) {
    return new Builder(admin, subusers, work, clock);
  }

  /** True for the levels at which SendGrid must not send the tenant's mail. */
  public static boolean stopsMail(Level level) {
    return level == Level.SUSPEND || level == Level.TERMINATE;
  }

  /** Adds this kind's handler to {@code runner}; returns {@code runner}. */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return runner.handler(type, WorkHandler.sync(this::handle), settings);
  }

  @Override
  public void onChange(StandingChanged event) {
    boolean was = stopsMail(event.from());
    boolean now = stopsMail(event.to());
    if (was == now) {
      return;
    }
    WorkKey key = WorkKey.of(event.tenant(), KIND, ID);
    Optional<Order> waiting = work.find(key).flatMap(this::orderOf);
    if (waiting.isPresent() && waiting.get().at().isAfter(event.at())) {
      log.info(
          "tenant {}: the change from {} to {} at {} is older than the one waiting; not applied",
          event.tenant(),
          event.from(),
          event.to(),
          event.at());
      return;
    }
    Order order = new Order(now, event.at());
    work.schedule(
        WorkItem.builder(key)
            .payload(order.encode())
            .payloadVersion(VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.REPLACE);
    log.info(
        "tenant {} moved from {} to {}: its SendGrid subuser will be {}",
        event.tenant(),
        event.from(),
        event.to(),
        now ? "disabled" : "enabled");
  }

  private Optional<Order> orderOf(WorkItem item) {
    try {
      return Optional.of(Order.decode(item.payload(), item.payloadVersion()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private Next handle(WorkContext<Order> context) {
    TenantId tenant = context.item().key().tenant();
    boolean disable;
    String subuser;
    try {
      disable =
          standings
              .flatMap(s -> s.find(tenant))
              .map(st -> stopsMail(st.level()))
              .orElse(context.payload().disabled());
      Optional<String> found = names.subuserOf(tenant);
      if (found.isEmpty()) {
        log.warn("tenant {} has no SendGrid subuser to {}", tenant, disable ? "disable" : "enable");
        return Next.done();
      }
      subuser = found.get();
    } catch (RuntimeException e) {
      return Next.retry(
          "reading the standing or the SendGrid subuser of tenant "
              + tenant
              + " failed: "
              + e.getMessage());
    }
    try {
      subusers.setDisabledOnce(subuser, disable);
      return Next.done();
    } catch (SendGridApiException e) {
      String why =
          (disable ? "disabling" : "enabling")
              + " the SendGrid subuser of tenant "
              + tenant
              + " failed: "
              + e.getMessage();
      if (!e.isRetryable()) {
        return Next.fail(why);
      }
      return e.retryAfter()
          .map(t -> Duration.between(clock.instant(), t))
          .filter(d -> !d.isNegative())
          .map(d -> Next.retryAfter(d, why))
          .orElseGet(() -> Next.retry(why));
    }
  }

  @Override
  public String toString() {
    return "SubuserSuspension";
  }

  /** Builds a {@link SubuserSuspension}; each setter checks its value. */
  public static final class Builder {
    private final SendGridAdmin admin;
    private final TenantSubusers names;
    private final WorkStore work;
    private final Clock clock;
    private KindSettings settings = KindSettings.DEFAULT;
    private StandingStore standings;

    private Builder(SendGridAdmin admin, TenantSubusers names, WorkStore work, Clock clock) {
      this.admin = Objects.requireNonNull(admin, "admin");
      this.names = Objects.requireNonNull(names, "subusers");
      this.work = Objects.requireNonNull(work, "work");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The work kind's settings (retry back-off, timeout). */
    public Builder settings(KindSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /**
     * Governance's standing store: each run then makes SendGrid hold what the tenant's current
     * level asks, however late or out of order the changes arrived. Recommended; without it the
     * newest change by its time wins among those waiting.
     */
    public Builder standings(StandingStore store) {
      this.standings = Objects.requireNonNull(store, "standings");
      return this;
    }

    /** Builds it. */
    public SubuserSuspension build() {
      return new SubuserSuspension(this);
    }
  }
}
