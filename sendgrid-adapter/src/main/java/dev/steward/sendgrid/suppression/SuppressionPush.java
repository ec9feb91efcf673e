package dev.steward.sendgrid.suppression;

import dev.steward.model.EmailAddress;
import dev.steward.model.Message;
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
import dev.steward.sendgrid.admin.SuppressionLists;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes Steward's opt-outs to SendGrid as due work of kind {@value #KIND}, due at once: a global
 * opt-out goes to the subuser's global unsubscribes, a category unsubscribe to the unsubscribe
 * group mapped to the category ({@link Builder#categoryGroup}). Each opt-out is one work item keyed
 * by a hash of its target and address, so recording the same opt-out again before it is pushed
 * changes nothing and it is pushed once; SendGrid's add is idempotent besides. A failed push is
 * retried with the kind's back-off; one SendGrid refuses (a bad key, an unknown group) goes DEAD
 * for an operator to see.
 *
 * <p>{@link ConsentFollower} calls {@link #globalOptOut} and {@link #categoryUnsubscribe} for every
 * opt-out the consent store records, following core's consent change feed, so the application calls
 * nothing; an application without a feed calls them where it records the opt-out ({@code
 * PreferenceCentre.optOut}, {@code unsubscribe}).
 *
 * <p>A tenant without a subuser sends from the parent account, whose unsubscribes (global and
 * group) hold for every tenant sending from it: pushing one such tenant's opt-out there would stop
 * the address's mail from all of them. So by default an opt-out of a tenant with no subuser is
 * <em>not</em> pushed: it is logged at WARN once per tenant, counted ({@link
 * #parentAccountSkips()}), and {@link #globalOptOut} and {@link #categoryUnsubscribe} return false
 * (the opt-out still holds in Steward, which stops the tenant's own mail). An application whose
 * tenant owns the parent account (one tenant alone sends from it) names it with {@link
 * Builder#parentAccountTenant}, and that tenant's opt-outs go to the parent's lists. A push of such
 * a tenant scheduled before (by an earlier version) is skipped the same way when it runs.
 */
public final class SuppressionPush {
  private static final Logger log = LoggerFactory.getLogger(SuppressionPush.class);

  /** The work kind. */
  public static final String KIND = "sendgrid.suppression-push";

  private final SuppressionLists lists;
  private final Clock clock;
  private final Map<String, Integer> categoryGroups;
  private final KindSettings settings;
  private final WorkType<PushOrder> type;
  private final Set<TenantId> parentAccountTenants;
  private final Set<TenantId> warned = ConcurrentHashMap.newKeySet();
  private final LongAdder parentSkips = new LongAdder();

  private SuppressionPush(Builder b) {
    this.lists = b.admin.suppressionLists();
    this.clock = b.clock;
    this.categoryGroups = Map.copyOf(b.categoryGroups);
    this.settings = b.settings;
    this.parentAccountTenants = Set.copyOf(b.parentAccountTenants);
    this.type = WorkType.of(KIND, PushOrder.VERSION, PushOrder::encode, PushOrder::decode);
  }

  /** A builder over the admin (parent key) and the application's clock. */
  public static Builder builder(SendGridAdmin admin, Clock clock) {
    return new Builder(admin, clock);
  }

  /** Adds this kind's handler to {@code runner}; returns {@code runner}. */
  public WorkRunner.Builder register(WorkRunner.Builder runner) {
    Objects.requireNonNull(runner, "runner");
    return runner.handler(type, WorkHandler.sync(this::handle), settings);
  }

  /**
   * Schedules the push of a global opt-out of {@code address} for the tenant; false if the same
   * push is already waiting, or if the tenant has no subuser and is not {@linkplain
   * Builder#parentAccountTenant the parent account's} (not pushed: see the class description).
   */
  public boolean globalOptOut(
      WorkStore work, TenantId tenant, Optional<String> subuser, EmailAddress address) {
    return schedule(work, tenant, new PushOrder(subuser, address, OptionalInt.empty()));
  }

  /**
   * Schedules the push of an unsubscribe of {@code address} from {@code category} to the category's
   * group; false if the same push is already waiting, or if the tenant has no subuser and is not
   * {@linkplain Builder#parentAccountTenant the parent account's} (not pushed: see the class
   * description).
   *
   * @throws IllegalArgumentException if the category maps to no unsubscribe group
   */
  public boolean categoryUnsubscribe(
      WorkStore work,
      TenantId tenant,
      Optional<String> subuser,
      EmailAddress address,
      String category) {
    String c = Message.category(category);
    Integer group = categoryGroups.get(c);
    if (group == null) {
      throw new IllegalArgumentException("category '" + c + "' maps to no unsubscribe group");
    }
    return schedule(work, tenant, new PushOrder(subuser, address, OptionalInt.of(group)));
  }

  /** True if {@code category}'s unsubscribes have a group to go to. */
  boolean hasGroup(String category) {
    return categoryGroups.containsKey(category);
  }

  private boolean schedule(WorkStore work, TenantId tenant, PushOrder order) {
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(order.subuser(), "subuser");
    Objects.requireNonNull(order.address(), "address");
    order.subuser().ifPresent(SuppressionPush::subuserName);
    if (refusedForParent(tenant, order)) {
      return false;
    }
    return work.schedule(
        WorkItem.builder(WorkKey.of(tenant, KIND, id(order)))
            .payload(order.encode())
            .payloadVersion(PushOrder.VERSION)
            .dueAt(clock.instant())
            .build(),
        IfExists.KEEP);
  }

  private Next handle(WorkContext<PushOrder> work) {
    PushOrder order = work.payload();
    if (refusedForParent(work.item().key().tenant(), order)) {
      return Next.done();
    }
    try {
      if (order.group().isPresent()) {
        lists.addGroupUnsubscribes(
            order.subuser(), order.group().getAsInt(), List.of(order.address()));
      } else {
        lists.addGlobalUnsubscribes(order.subuser(), List.of(order.address()));
      }
      log.debug(
          "pushed the opt-out of {} for tenant {} to SendGrid",
          order.address().masked(),
          work.item().key().tenant());
      return Next.done();
    } catch (SendGridApiException e) {
      String why =
          "push of an opt-out for tenant "
              + work.item().key().tenant()
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

  /**
   * How many opt-outs of tenants without a subuser this push has not sent to the parent account's
   * lists (the tenant not named with {@link Builder#parentAccountTenant}).
   */
  public long parentAccountSkips() {
    return parentSkips.sum();
  }

  /**
   * True (counted, and logged once per tenant) if the order is for the parent account and its
   * tenant is not the parent account's.
   */
  private boolean refusedForParent(TenantId tenant, PushOrder order) {
    if (order.subuser().isPresent() || parentAccountTenants.contains(tenant)) {
      return false;
    }
    parentSkips.increment();
    if (warned.add(tenant)) {
      log.warn(
          "tenant {} has no SendGrid subuser: its opt-outs are not pushed to the parent account's"
              + " unsubscribes, which would stop the address's mail for every tenant sending from"
              + " it (name the tenant with SuppressionPush.Builder.parentAccountTenant if it alone"
              + " owns the parent account); logged once per tenant",
          tenant);
    } else {
      log.debug("opt-out of tenant {} without a subuser not pushed", tenant);
    }
    return true;
  }

  /** A stable id naming no address: a hash of the subuser, the target and the address. */
  private static String id(PushOrder order) {
    String target =
        order.subuser().orElse("")
            + "|"
            + (order.group().isPresent() ? "group:" + order.group().getAsInt() : "global")
            + "|"
            + order.address().value().toLowerCase(java.util.Locale.ROOT);
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(target.getBytes(StandardCharsets.UTF_8));
      return (order.group().isPresent() ? "group-" + order.group().getAsInt() + "-" : "global-")
          + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void subuserName(String s) {
    if (s.isEmpty()
        || s.length() > 64
        || s.chars().anyMatch(c -> c <= ' ' || c >= 0x7f || c == '/')) {
      throw new IllegalArgumentException(
          "subuser username must be 1 to 64 visible ASCII characters without a slash");
    }
  }

  @Override
  public String toString() {
    return "SuppressionPush[" + categoryGroups.size() + " category groups]";
  }

  /** Builds a {@link SuppressionPush}; each setter checks its value. */
  public static final class Builder {
    private final SendGridAdmin admin;
    private final Clock clock;
    private final Map<String, Integer> categoryGroups = new HashMap<>();
    private KindSettings settings = KindSettings.DEFAULT;
    private final Set<TenantId> parentAccountTenants = new HashSet<>();

    private Builder(SendGridAdmin admin, Clock clock) {
      this.admin = Objects.requireNonNull(admin, "admin");
      this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The unsubscribe group a category's unsubscribes go to (the transport's ASM group for it). */
    public Builder categoryGroup(String category, int groupId) {
      String c = Message.category(category);
      if (groupId <= 0) {
        throw new IllegalArgumentException("group id must be positive, not " + groupId);
      }
      if (categoryGroups.containsKey(c)) {
        throw new IllegalArgumentException("category '" + c + "' already has a group");
      }
      categoryGroups.put(c, groupId);
      return this;
    }

    /**
     * Lets the opt-outs of {@code tenant}, when it has no subuser, go to the parent account's
     * unsubscribes (global and group). Those hold for every tenant that sends from the parent
     * account, so name only a tenant that alone does (the application's own mail, say); by default
     * no tenant's are pushed there.
     *
     * @throws IllegalArgumentException if the tenant is named already
     */
    public Builder parentAccountTenant(TenantId tenant) {
      Objects.requireNonNull(tenant, "tenant");
      if (!parentAccountTenants.add(tenant)) {
        throw new IllegalArgumentException(
            "tenant " + tenant + " is named as the parent account's already");
      }
      return this;
    }

    /** The work kind's settings (retry back-off, timeout). */
    public Builder settings(KindSettings s) {
      this.settings = Objects.requireNonNull(s, "settings");
      return this;
    }

    /** Builds it. */
    public SuppressionPush build() {
      return new SuppressionPush(this);
    }
  }
}
