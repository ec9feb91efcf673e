package dev.steward.frequency;

import dev.steward.model.Message;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A frequency-cap policy as data: caps, quiet hours, a send window, cool-downs, a limit on
 * concurrent journeys and exemptions. Immutable and validated; build one with {@link #builder()} or
 * read one with {@link #fromJson(String)}.
 */
public final class CapPolicy {
  /** The kinds exempt from every rule unless told otherwise. */
  public static final Set<MessageKind> DEFAULT_EXEMPT_KINDS =
      Collections.unmodifiableSet(EnumSet.of(MessageKind.TRANSACTIONAL));

  private final List<Cap> caps;
  private final List<CoolDown> coolDowns;
  private final QuietHours quietHours;
  private final SendWindow sendWindow;
  private final Integer maxConcurrentJourneys;
  private final Set<MessageKind> exemptKinds;
  private final Priority exemptAtOrAbove;
  private final ZoneId zone;
  private final ZoneId defaultZone;

  /** Computed on first use; a benign race, as for String's own hash. */
  private int hash;

  private CapPolicy(Builder b) {
    this.caps = List.copyOf(b.caps);
    this.coolDowns = List.copyOf(b.coolDowns);
    this.quietHours = b.quietHours;
    this.sendWindow = b.sendWindow;
    this.maxConcurrentJourneys = b.maxConcurrentJourneys;
    this.exemptKinds =
        b.exemptKinds.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(b.exemptKinds));
    this.exemptAtOrAbove = b.exemptAtOrAbove;
    this.zone = b.zone;
    this.defaultZone = b.defaultZone;
  }

  /** A builder with no rules and the default exemptions. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values, for a changed copy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.caps.addAll(caps);
    b.coolDowns.addAll(coolDowns);
    b.quietHours = quietHours;
    b.sendWindow = sendWindow;
    b.maxConcurrentJourneys = maxConcurrentJourneys;
    b.exemptKinds =
        exemptKinds.isEmpty() ? EnumSet.noneOf(MessageKind.class) : EnumSet.copyOf(exemptKinds);
    b.exemptAtOrAbove = exemptAtOrAbove;
    b.zone = zone;
    b.defaultZone = defaultZone;
    return b;
  }

  /** Reads a policy from JSON; see {@link #toJson()} for the format. */
  public static CapPolicy fromJson(String json) {
    return PolicyJson.read(json);
  }

  /**
   * This policy as JSON, read back exactly by {@link #fromJson(String)}. Example: {@code
   * {"caps":[{"scope":"CONTACT","max":2,"window":"P7D"},{"scope":"CONTACT","max":1,
   * "window":"DAY","perCategory":true}],"quietHours":{"start":"21:00","end":"08:00"},
   * "coolDowns":[{"activity":"support-ticket-closed","length":"PT48H","scope":"CONTACT",
   * "kinds":["PROMOTIONAL"]}],"exemptKinds":["TRANSACTIONAL"],"exemptAtOrAbove":"CRITICAL"}}.
   */
  public String toJson() {
    return PolicyJson.write(this);
  }

  public List<Cap> caps() {
    return caps;
  }

  public List<CoolDown> coolDowns() {
    return coolDowns;
  }

  public Optional<QuietHours> quietHours() {
    return Optional.ofNullable(quietHours);
  }

  public Optional<SendWindow> sendWindow() {
    return Optional.ofNullable(sendWindow);
  }

  /**
   * The most journeys a contact of the tenant may be in at once, if limited. The journey scheduler
   * enforces it, the one record of who is in which journey: {@code Steward} hands it to {@code
   * JourneyScheduler.Builder.tenantMaxActiveJourneys} (a scheduler built by hand takes it there).
   */
  public OptionalInt maxConcurrentJourneys() {
    return maxConcurrentJourneys == null
        ? OptionalInt.empty()
        : OptionalInt.of(maxConcurrentJourneys);
  }

  public Set<MessageKind> exemptKinds() {
    return exemptKinds;
  }

  /** Messages at or above this priority are exempt from every rule, if set. */
  public Optional<Priority> exemptAtOrAbove() {
    return Optional.ofNullable(exemptAtOrAbove);
  }

  /**
   * A fixed zone for calendar windows, quiet hours and send windows; empty means the recipient's.
   */
  public Optional<ZoneId> zone() {
    return Optional.ofNullable(zone);
  }

  /**
   * The zone read for a message that names no recipient zone, if set. A message without a zone,
   * under a policy with neither a {@link #zone()} nor a default zone, is refused with a {@link
   * MissingZoneException} when a rule reads local time: never read in UTC unsaid.
   */
  public Optional<ZoneId> defaultZone() {
    return Optional.ofNullable(defaultZone);
  }

  /** True when no rule of this policy applies to {@code message} (by kind or priority). */
  public boolean isExempt(Message message) {
    return isExempt(message.kind(), message.priority());
  }

  /** True when no rule of this policy applies to a message of {@code kind} and {@code priority}. */
  boolean isExempt(MessageKind kind, Priority priority) {
    return exemptKinds.contains(kind)
        || (exemptAtOrAbove != null && priority.atLeast(exemptAtOrAbove));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CapPolicy p
        && caps.equals(p.caps)
        && coolDowns.equals(p.coolDowns)
        && Objects.equals(quietHours, p.quietHours)
        && Objects.equals(sendWindow, p.sendWindow)
        && Objects.equals(maxConcurrentJourneys, p.maxConcurrentJourneys)
        && exemptKinds.equals(p.exemptKinds)
        && exemptAtOrAbove == p.exemptAtOrAbove
        && Objects.equals(zone, p.zone)
        && Objects.equals(defaultZone, p.defaultZone);
  }

  /** Cached: the limiter finds a policy's compiled form by it. */
  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h =
          Objects.hash(
              caps,
              coolDowns,
              quietHours,
              sendWindow,
              maxConcurrentJourneys,
              exemptKinds,
              exemptAtOrAbove,
              zone,
              defaultZone);
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "CapPolicy" + toJson();
  }

  /** Builds a {@link CapPolicy}; {@link #build()} validates the whole policy. */
  public static final class Builder {
    private final List<Cap> caps = new ArrayList<>();
    private final List<CoolDown> coolDowns = new ArrayList<>();
    private QuietHours quietHours;
    private SendWindow sendWindow;
    private Integer maxConcurrentJourneys;
    private EnumSet<MessageKind> exemptKinds = EnumSet.copyOf(DEFAULT_EXEMPT_KINDS);
    private Priority exemptAtOrAbove;
    private ZoneId zone;
    private ZoneId defaultZone;

    private Builder() {}

    /** Adds a cap. */
    public Builder cap(Cap cap) {
      caps.add(Objects.requireNonNull(cap, "cap"));
      return this;
    }

    /** Adds a cool-down. */
    public Builder coolDown(CoolDown coolDown) {
      coolDowns.add(Objects.requireNonNull(coolDown, "coolDown"));
      return this;
    }

    /** Adds a cool-down of {@code length} after the contact's {@code activity}. */
    public Builder coolDown(String activity, Duration length) {
      return coolDown(CoolDown.afterContactActivity(activity, length));
    }

    /** Sets quiet hours; null removes them. */
    public Builder quietHours(QuietHours quietHours) {
      this.quietHours = quietHours;
      return this;
    }

    /** Sets quiet hours from {@code start} to {@code end} (may cross midnight). */
    public Builder quietHours(LocalTime start, LocalTime end) {
      return quietHours(new QuietHours(start, end));
    }

    /** Sets the send window; null removes it. */
    public Builder sendWindow(SendWindow sendWindow) {
      this.sendWindow = sendWindow;
      return this;
    }

    /** Sets the send window to {@code days} from {@code from} to {@code to}. */
    public Builder sendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
      return sendWindow(new SendWindow(days, from, to));
    }

    /** Limits the journeys a contact may be in at once; null removes the limit. */
    public Builder maxConcurrentJourneys(Integer max) {
      if (max != null && max < 1) {
        throw new InvalidPolicyException("maxConcurrentJourneys: must be at least 1, was " + max);
      }
      this.maxConcurrentJourneys = max;
      return this;
    }

    /** Sets the exempt kinds (default TRANSACTIONAL); an empty collection exempts none. */
    public Builder exemptKinds(Collection<MessageKind> kinds) {
      if (kinds == null || kinds.stream().anyMatch(Objects::isNull)) {
        throw new InvalidPolicyException("exemptKinds: must not be null or contain null");
      }
      this.exemptKinds =
          kinds.isEmpty() ? EnumSet.noneOf(MessageKind.class) : EnumSet.copyOf(kinds);
      return this;
    }

    /** Exempts messages at or above {@code priority} (e.g. CRITICAL); null removes it. */
    public Builder exemptAtOrAbove(Priority priority) {
      this.exemptAtOrAbove = priority;
      return this;
    }

    /**
     * Reads windows and hours in a fixed zone instead of the recipient's; null for the recipient's.
     */
    public Builder zone(ZoneId zone) {
      this.zone = zone;
      return this;
    }

    /**
     * The zone read for a message without a recipient zone (for example the tenant's own zone);
     * null for none, so that such a message is refused when a rule reads local time.
     */
    public Builder defaultZone(ZoneId zone) {
      this.defaultZone = zone;
      return this;
    }

    /** Validates and builds the policy. */
    public CapPolicy build() {
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < caps.size(); i++) {
        if (!ids.add(caps.get(i).id())) {
          throw new InvalidPolicyException(
              "caps[" + i + "].id: duplicate rule id '" + caps.get(i).id() + "'; give it an id");
        }
      }
      for (int i = 0; i < coolDowns.size(); i++) {
        if (!ids.add(coolDowns.get(i).id())) {
          throw new InvalidPolicyException(
              "coolDowns["
                  + i
                  + "].id: duplicate rule id '"
                  + coolDowns.get(i).id()
                  + "'; give it an id");
        }
      }
      return new CapPolicy(this);
    }
  }
}
