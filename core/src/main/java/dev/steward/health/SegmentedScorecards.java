package dev.steward.health;

import dev.steward.model.TenantId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Chooses a scorecard per account segment (enterprise vs SMB, onboarding vs established): the first
 * segment whose attributes all match the account's wins, else the default. Scorecards per tenant go
 * through the same segments: {@link #choose(TenantId, Map)} adds the attribute {@value
 * #TENANT_ATTRIBUTE} with the tenant's id, so a segment matching {@code {"tenant": "isv-a"}} (and
 * perhaps {@code "tier": "enterprise"} too) serves that tenant's accounts. A segment that an
 * earlier one would always pre-empt is rejected. Readable and writable as JSON with {@link
 * #fromJson} and {@link #toJson()}. Immutable.
 */
public final class SegmentedScorecards implements ScorecardResolver {

  /**
   * A segment: the scorecard for accounts whose attributes include every entry of {@code match}.
   */
  public record Segment(String name, Map<String, String> match, Scorecard scorecard) {
    public Segment {
      Measure.checkId("segment", name);
      if (match == null || match.isEmpty()) {
        throw new InvalidScorecardException(
            "segment '"
                + name
                + "': needs at least one attribute to match; use the default instead");
      }
      if (scorecard == null) {
        throw new InvalidScorecardException("segment '" + name + "': scorecard must not be null");
      }
      for (Map.Entry<String, String> e : match.entrySet()) {
        if (e.getKey() == null || e.getKey().isBlank() || e.getValue() == null) {
          throw new InvalidScorecardException(
              "segment '"
                  + name
                  + "': match attribute '"
                  + e.getKey()
                  + "' needs a non-blank name and a value, got "
                  + e.getValue());
        }
      }
      match = Map.copyOf(match);
    }

    /** True if the account's attributes include all of this segment's. */
    public boolean matches(Map<String, String> attributes) {
      for (Map.Entry<String, String> e : match.entrySet()) {
        if (!e.getValue().equals(attributes.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }
  }

  /** The segment chosen for an account and its scorecard; {@code segment} is "default" for none. */
  public record Choice(String segment, Scorecard scorecard) {}

  /** The name a choice carries when no segment matched. */
  public static final String DEFAULT = "default";

  /** The attribute {@link #choose(TenantId, Map)} matches a tenant's id under. */
  public static final String TENANT_ATTRIBUTE = "tenant";

  private final List<Segment> segments;
  private final Scorecard fallback;

  private SegmentedScorecards(List<Segment> segments, Scorecard fallback) {
    this.segments = List.copyOf(segments);
    this.fallback = fallback;
  }

  /** A builder with the scorecard for accounts in no segment. */
  public static Builder builder(Scorecard defaultScorecard) {
    return new Builder(defaultScorecard);
  }

  /**
   * Reads and validates segmented scorecards written by {@link #toJson()}: unknown fields, missing
   * or dangling scorecard references, duplicate ids and names, unused scorecards and segments that
   * an earlier segment hides are all rejected with a message naming them.
   *
   * @throws InvalidScorecardException naming what is at fault
   */
  public static SegmentedScorecards fromJson(String json) {
    return SegmentedScorecardsJson.read(json);
  }

  /**
   * These segmented scorecards as JSON text: every scorecard once under {@code scorecards} (in the
   * format of {@link Scorecard#toJson()}), and the default and each segment naming its scorecard by
   * id.
   *
   * <pre>{@code
   * {"format": 1,
   *  "scorecards": [{"id": "smb", ...}, {"id": "enterprise", ...}],
   *  "default": "smb",
   *  "segments": [{"name": "enterprise", "match": {"tier": "enterprise"}, "scorecard": "enterprise"}]}
   * }</pre>
   *
   * @throws InvalidScorecardException if two different scorecards share an id, as a reference by id
   *     could not tell them apart
   */
  public String toJson() {
    return SegmentedScorecardsJson.write(this);
  }

  /** The segment and scorecard for an account with these attributes. */
  public Choice choose(Map<String, String> attributes) {
    for (Segment s : segments) {
      if (s.matches(attributes)) {
        return new Choice(s.name(), s.scorecard());
      }
    }
    return new Choice(DEFAULT, fallback);
  }

  /**
   * The segment and scorecard for a tenant's account with these attributes: they are matched with
   * {@value #TENANT_ATTRIBUTE} set to the tenant's id, so segments may name tenants.
   *
   * @throws InvalidHealthInputException if an argument is null, or the attributes already give
   *     another {@value #TENANT_ATTRIBUTE}
   */
  @Override
  public Choice choose(TenantId tenant, Map<String, String> attributes) {
    InvalidHealthInputException.requireNonNull(tenant, "tenant");
    InvalidHealthInputException.requireNonNull(attributes, "attributes");
    String given = attributes.get(TENANT_ATTRIBUTE);
    if (given != null && !given.equals(tenant.value())) {
      throw new InvalidHealthInputException(
          "attributes name tenant '"
              + given
              + "' under '"
              + TENANT_ATTRIBUTE
              + "', but the account is of tenant '"
              + tenant
              + "'");
    }
    Map<String, String> withTenant = new java.util.HashMap<>(attributes);
    withTenant.put(TENANT_ATTRIBUTE, tenant.value());
    return choose(withTenant);
  }

  /** The segments in the order they are tried. */
  public List<Segment> segments() {
    return segments;
  }

  public Scorecard defaultScorecard() {
    return fallback;
  }

  /** Builds {@link SegmentedScorecards}; segments are tried in the order added. */
  public static final class Builder {
    private final Scorecard fallback;
    private final List<Segment> segments = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private Builder(Scorecard fallback) {
      if (fallback == null) {
        throw new InvalidScorecardException(
            "segmented scorecards: the default scorecard is required");
      }
      this.fallback = fallback;
    }

    /** Adds a segment matching all the given attribute values. */
    public Builder segment(String name, Map<String, String> match, Scorecard scorecard) {
      if (match == null) {
        throw new InvalidScorecardException("segment '" + name + "': match must not be null");
      }
      Segment s = new Segment(name, new LinkedHashMap<>(match), scorecard);
      if (name.equals(DEFAULT) || !names.add(name)) {
        throw new InvalidScorecardException(
            "segmented scorecards: segment name '" + name + "' is already used");
      }
      for (Segment earlier : segments) {
        // the first match wins, so a segment whose conditions include an earlier one's is dead
        if (s.match().entrySet().containsAll(earlier.match().entrySet())) {
          names.remove(name);
          throw new InvalidScorecardException(
              "segmented scorecards: segment '"
                  + name
                  + "' can never be chosen: the earlier segment '"
                  + earlier.name()
                  + "' matches every account it matches ("
                  + new java.util.TreeMap<>(earlier.match())
                  + ")");
        }
      }
      segments.add(s);
      return this;
    }

    public SegmentedScorecards build() {
      return new SegmentedScorecards(segments, fallback);
    }
  }
}
