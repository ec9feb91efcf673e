package dev.steward.journey;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One version of a journey: its triggers, re-entry rule, exit criteria and steps, validated as a
 * whole when it is made (unknown step references, unreachable steps, loops that never wait,
 * duplicate step ids), with messages that name the step. Build one with {@link #builder} or read
 * one with {@link #fromJson}; {@link #toJson} writes the same format back.
 *
 * <p>A journey is identified by {@code id} and {@code version}: enrolments stay on the version they
 * entered, so a changed journey is registered under a new version beside the old one.
 *
 * @param id lower-case letters, digits, '.', '_' or '-', at most {@value #MAX_ID} characters
 * @param version 1 or more
 * @param team the team its messages are sent for ({@code csm}, {@code marketing})
 * @param triggers what enrols contacts (at least one)
 * @param reEntry whether a contact may enter again
 * @param exitCriteria checked before every step; the first that holds ends the enrolment
 * @param start the first step's id
 * @param steps the steps, in the order they were given
 */
public record JourneyDefinition(
    String id,
    int version,
    String team,
    List<EntryTrigger> triggers,
    ReEntry reEntry,
    List<ExitCriterion> exitCriteria,
    String start,
    List<Step> steps) {

  /** The longest journey id. */
  public static final int MAX_ID = 80;

  /** The JSON format this version reads and writes. */
  public static final int JSON_FORMAT = 1;

  /** The team of a journey that names none. */
  public static final String DEFAULT_TEAM = "csm";

  /** The names of the ready-made journeys shipped in this jar, for {@link #readyMade}. */
  public static final Set<String> READY_MADE =
      Set.of(
          "onboarding",
          "adoption",
          "renewal",
          "re-engagement",
          "expansion",
          "advocacy",
          "critical-fallback");

  public JourneyDefinition {
    id = checkJourneyId(id);
    if (version < 1) {
      throw new InvalidJourneyException(
          "journey '" + id + "' has version " + version + "; versions start at 1");
    }
    team = team == null || team.isBlank() ? DEFAULT_TEAM : team.strip();
    try {
      dev.steward.model.Source.team(team); // every message of the journey carries it
    } catch (dev.steward.model.InvalidModelException e) {
      throw new InvalidJourneyException("team of journey '" + id + "': " + e.getMessage());
    }
    triggers =
        triggers == null || triggers.isEmpty()
            ? List.of(new EntryTrigger.Manual())
            : List.copyOf(triggers);
    reEntry = reEntry == null ? ReEntry.onceEver() : reEntry;
    exitCriteria = exitCriteria == null ? List.of() : List.copyOf(exitCriteria);
    if (steps == null || steps.isEmpty()) {
      throw new InvalidJourneyException("journey '" + id + "' has no steps");
    }
    steps = List.copyOf(steps);
    start = start == null ? steps.get(0).id() : start;
    validate(id, start, steps);
  }

  /** A builder of version {@code version} of the journey {@code id}. */
  public static Builder builder(String id, int version) {
    return new Builder(id, version);
  }

  /** Reads a journey from JSON (the format of {@link #toJson}); errors name the path. */
  public static JourneyDefinition fromJson(String json) {
    return JourneyJson.read(json);
  }

  /**
   * A ready-made journey shipped in this jar as JSON ({@code dev/steward/journey/<name>.json}), one
   * of {@link #READY_MADE}: {@code onboarding} is the onboarding cadence (Day 1 welcome, Day 3
   * setup reminder unless set up, Day 7 webinar invite, Day 14 CSM check-in, Day 21 success
   * stories, Day 30 review), each send at 09:00 on a weekday in the contact's zone; {@code
   * adoption} follows activation (feature spotlight, advanced use cases, webinar, success stories,
   * a CSM check-in unless adopted); {@code renewal} runs from 90 days before {@code renewal_date}
   * (-90 usage and value report, -60 CSM task, -30 proposal, -14 urgent reminder unless signed, -7
   * escalation task to {@code csmManager}); {@code re-engagement} starts when logins stop for 14
   * days; {@code expansion} on each of its signals (usage limit reached, users added, a milestone,
   * high engagement); {@code advocacy} after a promoter NPS; {@code critical-fallback} sends a
   * critical message and, unopened after three days, gives the CSM a task or, without one, sends it
   * in the app. Copy and change them as your own journeys (a new id or version).
   */
  public static JourneyDefinition readyMade(String name) {
    if (!READY_MADE.contains(name)) {
      throw new InvalidJourneyException(
          "no ready-made journey '" + name + "'; there are " + READY_MADE);
    }
    try (InputStream in = JourneyDefinition.class.getResourceAsStream(name + ".json")) {
      if (in == null) {
        throw new IllegalStateException("the ready-made journey " + name + " is missing");
      }
      return fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the ready-made journey " + name, e);
    }
  }

  /** The journey as JSON text, readable by {@link #fromJson}. */
  public String toJson() {
    return JourneyJson.write(this);
  }

  /** The step of an id. */
  public Optional<Step> step(String stepId) {
    return Optional.ofNullable(stepOrNull(stepId));
  }

  /** The step of an id, or null: for a step's run, which asks several times (memstep). */
  Step stepOrNull(String stepId) {
    for (Step s : steps) {
      if (s.id().equals(stepId)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "journey " + id + " v" + version;
  }

  static String checkJourneyId(String id) {
    if (id == null || id.isEmpty()) {
      throw new InvalidJourneyException("a journey id must not be empty");
    }
    if (id.length() > MAX_ID) {
      throw new InvalidJourneyException(
          "journey id is " + id.length() + " characters long; at most " + MAX_ID);
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || (i > 0 && (c == '.' || c == '_' || c == '-'));
      if (!ok) {
        throw new InvalidJourneyException(
            "journey id '"
                + id
                + "' has '"
                + c
                + "' at "
                + i
                + "; use lower-case letters, digits, '.', '_' and '-'");
      }
    }
    return id;
  }

  private static void validate(String journey, String start, List<Step> steps) {
    Map<String, Step> byId = new LinkedHashMap<>();
    for (Step s : steps) {
      if (s == null) {
        throw new InvalidJourneyException("journey '" + journey + "' has a null step");
      }
      if (byId.putIfAbsent(s.id(), s) != null) {
        throw new InvalidJourneyException(
            "journey '" + journey + "': step '" + s.id() + "' is defined twice");
      }
    }
    if (!byId.containsKey(start)) {
      throw new InvalidJourneyException(
          "journey '" + journey + "': the start step '" + start + "' is not one of its steps");
    }
    for (Step s : steps) {
      for (String t : s.targets()) {
        if (!byId.containsKey(t)) {
          throw new InvalidJourneyException(
              "journey '"
                  + journey
                  + "': step '"
                  + s.id()
                  + "' leads to '"
                  + t
                  + "', which is not one of its steps");
        }
      }
      if (s instanceof Step.EnrolIn e && e.journey().equals(journey)) {
        throw new InvalidJourneyException(
            "journey '" + journey + "': step '" + s.id() + "' enrols in its own journey");
      }
    }
    // reachability from the start
    Set<String> seen = new java.util.HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String at = todo.pop();
      if (seen.add(at)) {
        todo.addAll(byId.get(at).targets());
      }
    }
    for (Step s : steps) {
      if (!seen.contains(s.id())) {
        throw new InvalidJourneyException(
            "journey '"
                + journey
                + "': step '"
                + s.id()
                + "' is unreachable from the start step '"
                + start
                + "'");
      }
    }
    // a cycle through steps none of which waits would spin: depth-first search over them alone
    Map<String, Integer> colour = new HashMap<>();
    for (Step s : steps) {
      if (!s.waits() && !colour.containsKey(s.id())) {
        List<String> cycle = cycleFrom(s.id(), byId, colour, new ArrayList<>());
        if (cycle != null) {
          throw new InvalidJourneyException(
              "journey '"
                  + journey
                  + "': step '"
                  + cycle.get(0)
                  + "' is on a cycle with no wait ("
                  + String.join(" -> ", cycle)
                  + ")");
        }
      }
    }
    checkDeadlines(journey, start, byId);
  }

  /**
   * Refuses a deadline that falls before its step can be reached: after entry, earlier than the
   * shortest sum of fixed waits on any path to the step; on a date, earlier than a wait until the
   * same date attribute that every path to the step passes.
   */
  private static void checkDeadlines(String journey, String start, Map<String, Step> byId) {
    if (byId.values().stream().noneMatch(s -> s.deadline().isPresent())) {
      return;
    }
    // the earliest time after entry each step can be reached: only fixed waits take time for sure
    Map<String, Long> earliest = new HashMap<>();
    java.util.PriorityQueue<Map.Entry<String, Long>> queue =
        new java.util.PriorityQueue<>(Map.Entry.comparingByValue());
    earliest.put(start, 0L);
    queue.add(Map.entry(start, 0L));
    while (!queue.isEmpty()) {
      Map.Entry<String, Long> at = queue.poll();
      if (at.getValue() > earliest.get(at.getKey())) {
        continue;
      }
      Step s = byId.get(at.getKey());
      long after = at.getValue() + (s instanceof Step.Wait w ? w.duration().getSeconds() : 0);
      for (String t : s.targets()) {
        Long known = earliest.get(t);
        if (known == null || after < known) {
          earliest.put(t, after);
          queue.add(Map.entry(t, after));
        }
      }
    }
    for (Step s : byId.values()) {
      if (s.deadline().orElse(null) instanceof Deadline.AfterEntry d
          && d.after().getSeconds() < earliest.get(s.id())) {
        throw new InvalidJourneyException(
            "journey '"
                + journey
                + "': step '"
                + s.id()
                + "' has the deadline "
                + d
                + ", but cannot be reached before "
                + java.time.Duration.ofSeconds(earliest.get(s.id()))
                + " after entry");
      }
      if (s.deadline().orElse(null) instanceof Deadline.FromDate d) {
        long reached = dateReached(d.attribute(), start, byId).get(s.id());
        if (reached > d.minutesFromDate()) {
          throw new InvalidJourneyException(
              "journey '"
                  + journey
                  + "': step '"
                  + s.id()
                  + "' has the deadline "
                  + d
                  + ", but every path to it first waits until "
                  + d.attribute()
                  + " "
                  + Math.floorDiv(reached, 1440)
                  + " days at "
                  + java.time.LocalTime.ofSecondOfDay(Math.floorMod(reached, 1440) * 60));
        }
      }
    }
  }

  /**
   * For each step, the latest wait until {@code attribute} (in minutes from the date) that every
   * path from the start passes before it; {@link Long#MIN_VALUE} where some path passes none.
   */
  private static Map<String, Long> dateReached(
      String attribute, String start, Map<String, Step> byId) {
    Map<String, Long> in = new HashMap<>();
    for (String id : byId.keySet()) {
      in.put(id, Long.MAX_VALUE);
    }
    in.put(start, Long.MIN_VALUE);
    boolean changed = true;
    while (changed) { // values only fall, among finitely many: this ends
      changed = false;
      for (Step s : byId.values()) {
        long here = in.get(s.id());
        if (here == Long.MAX_VALUE) {
          continue;
        }
        long out =
            s instanceof Step.WaitUntilDate w && w.attribute().equals(attribute)
                ? Math.max(here, w.offsetDays() * 1440L + w.time().toSecondOfDay() / 60)
                : here;
        for (String t : s.targets()) {
          if (out < in.get(t)) {
            in.put(t, out);
            changed = true;
          }
        }
      }
    }
    return in;
  }

  /**
   * A cycle of non-waiting steps reachable from {@code start}, as a closed path; null if none. An
   * explicit stack, not recursion: a valid journey may chain thousands of steps.
   */
  private static List<String> cycleFrom(
      String start, Map<String, Step> byId, Map<String, Integer> colour, List<String> path) {
    Deque<java.util.Iterator<String>> stack = new ArrayDeque<>();
    colour.put(start, 1);
    path.add(start);
    stack.push(byId.get(start).targets().iterator());
    while (!stack.isEmpty()) {
      java.util.Iterator<String> targets = stack.peek();
      if (!targets.hasNext()) {
        stack.pop();
        colour.put(path.remove(path.size() - 1), 2);
        continue;
      }
      String t = targets.next();
      if (byId.get(t).waits()) {
        continue;
      }
      Integer c = colour.get(t);
      if (c != null && c == 1) {
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(t), path.size()));
        cycle.add(t);
        return cycle;
      }
      if (c == null) {
        colour.put(t, 1);
        path.add(t);
        stack.push(byId.get(t).targets().iterator());
      }
    }
    return null;
  }

  /** Builds a {@link JourneyDefinition}; {@link #build} validates the whole. */
  public static final class Builder {
    private final String id;
    private final int version;
    private String team = DEFAULT_TEAM;
    private final List<EntryTrigger> triggers = new ArrayList<>();
    private ReEntry reEntry = ReEntry.onceEver();
    private final List<ExitCriterion> exits = new ArrayList<>();
    private String start;
    private final List<Step> steps = new ArrayList<>();

    private Builder(String id, int version) {
      this.id = id;
      this.version = version;
    }

    /** The team its messages are sent for; default {@value #DEFAULT_TEAM}. */
    public Builder team(String team) {
      this.team = InvalidJourneyException.requireNonNull(team, "team");
      return this;
    }

    /** Adds an entry trigger; without any, the journey is entered by hand only. */
    public Builder trigger(EntryTrigger trigger) {
      triggers.add(InvalidJourneyException.requireNonNull(trigger, "trigger"));
      return this;
    }

    /** The re-entry rule; default once ever. */
    public Builder reEntry(ReEntry rule) {
      this.reEntry = InvalidJourneyException.requireNonNull(rule, "re-entry rule");
      return this;
    }

    /** Adds an exit criterion, checked before every step. */
    public Builder exitWhen(String name, Condition when) {
      exits.add(new ExitCriterion(name, when));
      return this;
    }

    /** The first step; default the first one added. */
    public Builder start(String stepId) {
      this.start = InvalidJourneyException.requireNonNull(stepId, "start step");
      return this;
    }

    /** Adds a step. */
    public Builder step(Step step) {
      steps.add(InvalidJourneyException.requireNonNull(step, "step"));
      return this;
    }

    public JourneyDefinition build() {
      return new JourneyDefinition(id, version, team, triggers, reEntry, exits, start, steps);
    }
  }
}
