package dev.steward.sendgrid.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.governance.Level;
import dev.steward.governance.StandingChanged;
import dev.steward.governance.StandingListener;
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
 * <p>The SendGrid call is due work of kind {@value #KIND} (one item per tenant, due at once), not a
 * call on the evaluating thread: core logs and ignores a listener's exception, so a call that
 * failed there would be lost, while a work item is retried with the kind's back-off (a 429 waits
 * for its reset) and one SendGrid refuses goes DEAD for an operator. A newer change replaces a
 * waiting one, so the latest standing wins. Register the kind on the runner ({@link #register}) and
 * the listener on governance ({@code GovernanceEvaluator}'s or {@code Steward}'s standing
 * listeners). A tenant without a subuser is logged at WARN and left alone.
 */
public final class SubuserSuspension implements StandingListener {
  private static final Logger log = LoggerFactory.getLogger(SubuserSuspension.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The work kind. */
  public static final String KIND = "sendgrid.subuser-standing";

  /** The work item id of a tenant's pending change. */
  public static final String ID = "subuser";

  private static final int VERSION = 1;

  private final Subusers subusers;
  private final TenantSubusers names;
  private final WorkStore work;
  private final Clock clock;
  private final KindSettings settings;
  private final WorkType<Order> type;

  /** What to do to a subuser. */
  record Order(String subuser, boolean disabled) {
    String encode() {
      return MAPPER.createObjectNode().put("subuser", subuser).put("disabled", disabled).toString();
    }

    static Order decode(String json, int version) {
      if (version != VERSION) {
        throw new IllegalArgumentException(
            "subuser standing payload version " + version + " unknown");
      }
      try {
        JsonNode o = MAPPER.readTree(json);
        if (!o.path("subuser").isTextual() || !o.path("disabled").isBoolean()) {
          throw new IllegalArgumentException("subuser standing payload lacks subuser or disabled");
        }
        return new Order(o.path("subuser").asText(), o.path("disabled").asBoolean());
      } catch (IOException e) {
        throw new IllegalArgumentException("subuser standing payload is not JSON", e);
      }
    }
  }

  private SubuserSuspension(Builder b) {
    this.subusers = b.admin.subusers();
    this.names = b.names;
    this.work = b.work;
    this.clock = b.clock;
    this.settings = b.settings;
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
    Optional<String> subuser = names.subuserOf(event.tenant());
    if (subuser.isEmpty()) {
      log.warn(
          "tenant {} moved from {} to {} but has no SendGrid subuser to {}",
          event.tenant(),
          event.from(),
          event.to(),
          now ? "disable" : "enable");
      return;
    }
    Order order = new Order(subuser.get(), now);
    work.schedule(
        WorkItem.builder(WorkKey.of(event.tenant(), KIND, ID))
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

  private Next handle(WorkContext<Order> context) {
    Order order = context.payload();
    try {
      if (order.disabled()) {
        subusers.disable(order.subuser());
      } else {
        subusers.enable(order.subuser());
      }
      return Next.done();
    } catch (SendGridApiException e) {
      String why =
          (order.disabled() ? "disabling" : "enabling")
              + " the SendGrid subuser of tenant "
              + context.item().key().tenant()
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

    /** Builds it. */
    public SubuserSuspension build() {
      return new SubuserSuspension(this);
    }
  }
}
