package dev.steward.journey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes journeys as JSON. Unknown fields are refused, so a typo such as {@code "nxt"}
 * cannot silently end a journey; every error names its path ({@code steps[2].duration}).
 *
 * <pre>{@code
 * {"format": 1, "id": "onboarding", "version": 1, "team": "csm",
 *  "triggers": [{"type": "manual"}, {"type": "event", "event": "account-onboarded"},
 *               {"type": "date", "attribute": "renewal", "offsetsDays": [-90, -60], "time": "09:00"},
 *               {"type": "segment", "when": {"attribute": "plan", "op": "eq", "value": "pro"}},
 *               {"type": "segment", "when": {"events": {"event": "login", "within": "P14D",
 *                                                      "op": "eq", "count": 0}}},
 *               {"type": "schedule", "every": "P3M", "anchor": "2026-01-05", "time": "09:00"},
 *               {"type": "health", "to": "red", "from": "yellow"}],
 *  "reEntry": {"rule": "once"} | {"rule": "oncePerDays", "days": 30} | {"rule": "always"},
 *  "exitWhen": [{"name": "churned", "when": {"attribute": "status", "op": "eq", "value": "churned"}}],
 *  "start": "welcome",
 *  "steps": [
 *   {"id": "welcome", "type": "send", "template": "t-welcome", "kind": "EDUCATIONAL",
 *    "category": "onboarding", "channel": "EMAIL", "priority": "NORMAL", "next": "wait"},
 *   {"id": "ab", "type": "send", "variants": [{"name": "a", "template": "t1", "weight": 1}, ...], ...},
 *   {"id": "wait", "type": "wait", "duration": "P2D", "next": "..."},
 *   {"id": "at-9", "type": "waitUntilLocalTime", "time": "09:00", "days": ["MONDAY"], "next": "..."},
 *   {"id": "r-90", "type": "waitUntilDate", "attribute": "renewal", "offsetDays": -90, "time": "09:00"},
 *   {"id": "open?", "type": "waitForEvent", "event": "opened", "timeout": "P3D",
 *    "onEvent": "...", "onTimeout": "..."},
 *   {"id": "b", "type": "branch", "cases": [{"when": {...}, "next": "..."}], "otherwise": "..."},
 *   {"id": "u", "type": "updateAttribute", "attribute": "stage", "value": "onboarded"},
 *   {"id": "t", "type": "task", "task": "csm-check-in", "template": "t-check-in", "owner": "csm",
 *    "due": "P2D", "onSent": "...", "onEdited": "...", "onDismissed": "...", "onOverdue": "..."},
 *   {"id": "e", "type": "enrol", "journey": "adoption"},
 *   {"id": "x", "type": "exit", "reason": "..."}]}
 * }</pre>
 *
 * Conditions: {@code {"attribute": a, "op": "eq|ne|lt|le|gt|ge|exists|missing", "value": v}},
 * {@code {"and": [...]}}, {@code {"or": [...]}}, {@code {"not": {...}}}.
 */
final class JourneyJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();
  private static final Set<String> ROOT =
      Set.of(
          "format", "id", "version", "team", "triggers", "reEntry", "exitWhen", "start", "steps");

  private JourneyJson() {}

  // ---------------------------------------------------------------- writing

  static String write(JourneyDefinition d) {
    ObjectNode root = NODES.objectNode();
    root.put("format", JourneyDefinition.JSON_FORMAT);
    root.put("id", d.id());
    root.put("version", d.version());
    root.put("team", d.team());
    ArrayNode triggers = root.putArray("triggers");
    for (EntryTrigger t : d.triggers()) {
      ObjectNode n = triggers.addObject();
      if (t instanceof EntryTrigger.Manual) {
        n.put("type", "manual");
      } else if (t instanceof EntryTrigger.OnEvent e) {
        n.put("type", "event").put("event", e.event());
      } else if (t instanceof EntryTrigger.OnDate o) {
        n.put("type", "date").put("attribute", o.attribute());
        ArrayNode offsets = n.putArray("offsetsDays");
        o.offsetsDays().forEach(offsets::add);
        n.put("time", o.time().toString());
      } else if (t instanceof EntryTrigger.InSegment s) {
        n.put("type", "segment").set("when", segment(s.when()));
      } else if (t instanceof EntryTrigger.OnSchedule o) {
        n.put("type", "schedule").put("every", o.every().toString());
        n.put("anchor", o.anchor().toString()).put("time", o.time().toString());
        o.when().ifPresent(w -> n.set("when", condition(w)));
      } else if (t instanceof EntryTrigger.OnHealthBand h) {
        n.put("type", "health").put("to", h.to());
        h.from().ifPresent(f -> n.put("from", f));
      }
    }
    ObjectNode re = root.putObject("reEntry");
    switch (d.reEntry().rule()) {
      case ONCE_EVER -> re.put("rule", "once");
      case ALWAYS -> re.put("rule", "always");
      case ONCE_PER_DAYS -> re.put("rule", "oncePerDays").put("days", d.reEntry().days());
    }
    ArrayNode exits = root.putArray("exitWhen");
    for (ExitCriterion e : d.exitCriteria()) {
      exits.addObject().put("name", e.name()).set("when", condition(e.when()));
    }
    root.put("start", d.start());
    ArrayNode steps = root.putArray("steps");
    for (Step s : d.steps()) {
      steps.add(step(s));
    }
    try {
      return WRITER.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON tree", e);
    }
  }

  private static ObjectNode step(Step s) {
    ObjectNode n = NODES.objectNode();
    n.put("id", s.id());
    if (s instanceof Step.Send x) {
      n.put("type", "send");
      if (x.variants().size() == 1 && x.variants().get(0).name().equals("default")) {
        n.put("template", x.variants().get(0).templateId());
      } else {
        ArrayNode vs = n.putArray("variants");
        for (Step.Variant v : x.variants()) {
          vs.addObject()
              .put("name", v.name())
              .put("template", v.templateId())
              .put("weight", v.weight());
        }
      }
      n.put("kind", x.kind().name()).put("category", x.category());
      n.put("channel", x.channel().name()).put("priority", x.priority().name());
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.Wait x) {
      n.put("type", "wait").put("duration", x.duration().toString());
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.WaitUntilLocalTime x) {
      n.put("type", "waitUntilLocalTime").put("time", x.time().toString());
      ArrayNode days = n.putArray("days");
      new TreeSet<>(x.days()).forEach(d -> days.add(d.name()));
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.WaitUntilDate x) {
      n.put("type", "waitUntilDate").put("attribute", x.attribute());
      n.put("offsetDays", x.offsetDays()).put("time", x.time().toString());
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.WaitForEvent x) {
      n.put("type", "waitForEvent").put("event", x.event()).put("timeout", x.timeout().toString());
      x.onEvent().ifPresent(v -> n.put("onEvent", v));
      x.onTimeout().ifPresent(v -> n.put("onTimeout", v));
    } else if (s instanceof Step.Branch x) {
      n.put("type", "branch");
      ArrayNode cases = n.putArray("cases");
      for (Step.Case c : x.cases()) {
        ObjectNode cn = cases.addObject();
        cn.set("when", condition(c.when()));
        cn.put("next", c.next());
      }
      x.otherwise().ifPresent(v -> n.put("otherwise", v));
    } else if (s instanceof Step.UpdateAttribute x) {
      n.put("type", "updateAttribute").put("attribute", x.attribute());
      x.value().ifPresent(v -> n.put("value", v));
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.EnrolIn x) {
      n.put("type", "enrol").put("journey", x.journey());
      x.next().ifPresent(v -> n.put("next", v));
    } else if (s instanceof Step.HumanTask x) {
      n.put("type", "task").put("task", x.task());
      x.template().ifPresent(v -> n.put("template", v));
      n.put("owner", x.ownerAttribute()).put("due", x.due().toString());
      x.onSent().ifPresent(v -> n.put("onSent", v));
      x.onEdited().ifPresent(v -> n.put("onEdited", v));
      x.onDismissed().ifPresent(v -> n.put("onDismissed", v));
      x.onOverdue().ifPresent(v -> n.put("onOverdue", v));
    } else if (s instanceof Step.Exit x) {
      n.put("type", "exit").put("reason", x.reason());
    }
    return n;
  }

  private static ObjectNode condition(Condition c) {
    ObjectNode n = NODES.objectNode();
    if (c instanceof Condition.Compare x) {
      n.put("attribute", x.attribute()).put("op", x.op().json());
      if (x.value() != null) {
        n.put("value", x.value());
      }
    } else if (c instanceof Condition.And x) {
      ArrayNode a = n.putArray("and");
      x.parts().forEach(p -> a.add(condition(p)));
    } else if (c instanceof Condition.Or x) {
      ArrayNode a = n.putArray("or");
      x.parts().forEach(p -> a.add(condition(p)));
    } else if (c instanceof Condition.Not x) {
      n.set("not", condition(x.part()));
    }
    return n;
  }

  private static ObjectNode segment(Segment s) {
    ObjectNode n = NODES.objectNode();
    if (s instanceof Segment.Attributes x) {
      return condition(x.condition());
    } else if (s instanceof Segment.EventCount x) {
      n.putObject("events")
          .put("event", x.event())
          .put("within", x.within().toString())
          .put("op", x.op().json())
          .put("count", x.count());
    } else if (s instanceof Segment.All x) {
      ArrayNode a = n.putArray("and");
      x.parts().forEach(p -> a.add(segment(p)));
    } else if (s instanceof Segment.Any x) {
      ArrayNode a = n.putArray("or");
      x.parts().forEach(p -> a.add(segment(p)));
    } else if (s instanceof Segment.Not x) {
      n.set("not", segment(x.part()));
    }
    return n;
  }

  // ---------------------------------------------------------------- reading

  static JourneyDefinition read(String json) {
    if (json == null) {
      throw new InvalidJourneyException("journey JSON must not be null");
    }
    JsonNode root = StrictJson.read(json, "journey", InvalidJourneyException::new);
    if (!root.isObject()) {
      throw new InvalidJourneyException("journey JSON must be an object");
    }
    fields("journey JSON", root, ROOT);
    JsonNode f = root.get("format");
    if (f != null && (!f.isIntegralNumber() || f.asInt() != JourneyDefinition.JSON_FORMAT)) {
      throw new InvalidJourneyException(
          "journey JSON: format "
              + f
              + " is not supported; this version reads "
              + JourneyDefinition.JSON_FORMAT);
    }
    String id = text(root, "id", "journey JSON", true);
    int version = integer(root, "version", "journey JSON");
    String where = "journey '" + id + "' JSON";
    List<EntryTrigger> triggers = new ArrayList<>();
    JsonNode tn = root.get("triggers");
    if (tn != null) {
      array(tn, where + ": triggers");
      for (int i = 0; i < tn.size(); i++) {
        triggers.add(trigger(tn.get(i), where + ": triggers[" + i + "]"));
      }
    }
    ReEntry reEntry =
        root.has("reEntry") ? reEntry(root.get("reEntry"), where + ": reEntry") : null;
    List<ExitCriterion> exits = new ArrayList<>();
    JsonNode en = root.get("exitWhen");
    if (en != null) {
      array(en, where + ": exitWhen");
      for (int i = 0; i < en.size(); i++) {
        String at = where + ": exitWhen[" + i + "]";
        JsonNode e = en.get(i);
        fields(at, e, Set.of("name", "when"));
        String name = text(e, "name", at, true);
        exits.add(
            guard(at, () -> new ExitCriterion(name, condition(need(e, "when", at), at + ".when"))));
      }
    }
    String start = text(root, "start", where, false);
    JsonNode sn = need(root, "steps", where);
    array(sn, where + ": steps");
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < sn.size(); i++) {
      steps.add(step(sn.get(i), where + ": steps[" + i + "]"));
    }
    return new JourneyDefinition(
        id, version, text(root, "team", where, false), triggers, reEntry, exits, start, steps);
  }

  private static EntryTrigger trigger(JsonNode n, String at) {
    String type = text(n, "type", at, true);
    return switch (type) {
      case "manual" -> {
        fields(at, n, Set.of("type"));
        yield new EntryTrigger.Manual();
      }
      case "event" -> {
        fields(at, n, Set.of("type", "event"));
        yield guard(at, () -> new EntryTrigger.OnEvent(text(n, "event", at, true)));
      }
      case "date" -> {
        fields(at, n, Set.of("type", "attribute", "offsetsDays", "time"));
        JsonNode offs = need(n, "offsetsDays", at);
        array(offs, at + ".offsetsDays");
        List<Integer> days = new ArrayList<>();
        for (int i = 0; i < offs.size(); i++) {
          if (!offs.get(i).isIntegralNumber() || !offs.get(i).canConvertToInt()) {
            throw new InvalidJourneyException(at + ".offsetsDays[" + i + "]: must be an integer");
          }
          days.add(offs.get(i).asInt());
        }
        LocalTime time = time(n, at, false);
        yield guard(at, () -> new EntryTrigger.OnDate(text(n, "attribute", at, true), days, time));
      }
      case "segment" -> {
        fields(at, n, Set.of("type", "when"));
        yield new EntryTrigger.InSegment(segment(need(n, "when", at), at + ".when"));
      }
      case "schedule" -> {
        fields(at, n, Set.of("type", "every", "anchor", "time", "when"));
        String every = text(n, "every", at, true);
        Period period;
        try {
          period = Period.parse(every);
        } catch (DateTimeParseException e) {
          throw new InvalidJourneyException(
              at + ".every: '" + every + "' is not an ISO-8601 period such as P1M or P7D");
        }
        String anchor = text(n, "anchor", at, true);
        LocalDate first;
        try {
          first = LocalDate.parse(anchor);
        } catch (DateTimeParseException e) {
          throw new InvalidJourneyException(
              at + ".anchor: '" + anchor + "' is not a date such as 2026-01-05");
        }
        LocalTime time = time(n, at, false);
        Optional<Condition> when =
            n.has("when") ? Optional.of(condition(n.get("when"), at + ".when")) : Optional.empty();
        yield guard(at, () -> new EntryTrigger.OnSchedule(period, first, time, when));
      }
      case "health" -> {
        fields(at, n, Set.of("type", "to", "from"));
        String to = text(n, "to", at, true);
        Optional<String> from = optional(n, "from", at);
        yield guard(at, () -> new EntryTrigger.OnHealthBand(to, from));
      }
      default ->
          throw new InvalidJourneyException(
              at
                  + ".type: unknown trigger type '"
                  + type
                  + "'; use manual, event, date, segment, schedule or health");
    };
  }

  private static ReEntry reEntry(JsonNode n, String at) {
    String rule = text(n, "rule", at, true);
    return switch (rule) {
      case "once" -> {
        fields(at, n, Set.of("rule"));
        yield ReEntry.onceEver();
      }
      case "always" -> {
        fields(at, n, Set.of("rule"));
        yield ReEntry.always();
      }
      case "oncePerDays" -> {
        fields(at, n, Set.of("rule", "days"));
        int days = integer(n, "days", at);
        yield guard(at, () -> ReEntry.oncePerDays(days));
      }
      default ->
          throw new InvalidJourneyException(
              at + ".rule: unknown re-entry rule '" + rule + "'; use once, oncePerDays or always");
    };
  }

  private static final Set<String> SEND =
      Set.of(
          "id", "type", "template", "variants", "kind", "category", "channel", "priority", "next");

  private static Step step(JsonNode n, String at) {
    if (!n.isObject()) {
      throw new InvalidJourneyException(at + ": must be an object");
    }
    String id = text(n, "id", at, true);
    String type = text(n, "type", at, true);
    String where = at + " (step '" + id + "')";
    return switch (type) {
      case "send" -> {
        fields(where, n, SEND);
        List<Step.Variant> variants = new ArrayList<>();
        if (n.has("template") == n.has("variants")) {
          throw new InvalidJourneyException(where + ": give either 'template' or 'variants'");
        }
        if (n.has("template")) {
          variants.add(new Step.Variant("default", text(n, "template", where, true), 1));
        } else {
          JsonNode vs = n.get("variants");
          array(vs, where + ".variants");
          for (int i = 0; i < vs.size(); i++) {
            String va = where + ".variants[" + i + "]";
            JsonNode v = vs.get(i);
            fields(va, v, Set.of("name", "template", "weight"));
            String name = text(v, "name", va, true);
            String template = text(v, "template", va, true);
            int weight = integer(v, "weight", va);
            variants.add(guard(va, () -> new Step.Variant(name, template, weight)));
          }
        }
        MessageKind kind = constant(MessageKind.class, n, "kind", where, true);
        Channel channel = constant(Channel.class, n, "channel", where, false);
        Priority priority = constant(Priority.class, n, "priority", where, false);
        String category = text(n, "category", where, true);
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.Send(id, variants, kind, category, channel, priority, next));
      }
      case "wait" -> {
        fields(where, n, Set.of("id", "type", "duration", "next"));
        Duration d = duration(n, "duration", where);
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.Wait(id, d, next));
      }
      case "waitUntilLocalTime" -> {
        fields(where, n, Set.of("id", "type", "time", "days", "next"));
        LocalTime time = time(n, where, true);
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        JsonNode dn = n.get("days");
        if (dn != null) {
          array(dn, where + ".days");
          for (int i = 0; i < dn.size(); i++) {
            JsonNode d = dn.get(i);
            String name = d.isTextual() ? d.asText().strip().toUpperCase(Locale.ROOT) : "";
            try {
              days.add(DayOfWeek.valueOf(name));
            } catch (IllegalArgumentException e) {
              throw new InvalidJourneyException(
                  where + ".days[" + i + "]: " + d + " is not a day of the week such as MONDAY");
            }
          }
          if (days.isEmpty()) {
            throw new InvalidJourneyException(where + ".days: must name at least one day");
          }
        }
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.WaitUntilLocalTime(id, time, days, next));
      }
      case "waitUntilDate" -> {
        fields(where, n, Set.of("id", "type", "attribute", "offsetDays", "time", "next"));
        String attribute = text(n, "attribute", where, true);
        int offset = n.has("offsetDays") ? integer(n, "offsetDays", where) : 0;
        LocalTime time = time(n, where, false);
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.WaitUntilDate(id, attribute, offset, time, next));
      }
      case "waitForEvent" -> {
        fields(where, n, Set.of("id", "type", "event", "timeout", "onEvent", "onTimeout"));
        String event = text(n, "event", where, true);
        Duration timeout = duration(n, "timeout", where);
        Optional<String> onEvent = optional(n, "onEvent", where);
        Optional<String> onTimeout = optional(n, "onTimeout", where);
        yield guard(at, () -> new Step.WaitForEvent(id, event, timeout, onEvent, onTimeout));
      }
      case "branch" -> {
        fields(where, n, Set.of("id", "type", "cases", "otherwise"));
        JsonNode cn = need(n, "cases", where);
        array(cn, where + ".cases");
        List<Step.Case> cases = new ArrayList<>();
        for (int i = 0; i < cn.size(); i++) {
          String ca = where + ".cases[" + i + "]";
          JsonNode c = cn.get(i);
          fields(ca, c, Set.of("when", "next"));
          Condition when = condition(need(c, "when", ca), ca + ".when");
          String next = text(c, "next", ca, true);
          cases.add(guard(ca, () -> new Step.Case(when, next)));
        }
        Optional<String> otherwise = optional(n, "otherwise", where);
        yield guard(at, () -> new Step.Branch(id, cases, otherwise));
      }
      case "updateAttribute" -> {
        fields(where, n, Set.of("id", "type", "attribute", "value", "next"));
        String attribute = text(n, "attribute", where, true);
        Optional<String> value = optional(n, "value", where);
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.UpdateAttribute(id, attribute, value, next));
      }
      case "enrol" -> {
        fields(where, n, Set.of("id", "type", "journey", "next"));
        String journey = text(n, "journey", where, true);
        Optional<String> next = optional(n, "next", where);
        yield guard(at, () -> new Step.EnrolIn(id, journey, next));
      }
      case "task" -> {
        fields(
            where,
            n,
            Set.of(
                "id",
                "type",
                "task",
                "template",
                "owner",
                "due",
                "onSent",
                "onEdited",
                "onDismissed",
                "onOverdue"));
        String task = text(n, "task", where, true);
        Optional<String> template = optional(n, "template", where);
        String owner = text(n, "owner", where, false);
        Duration due = duration(n, "due", where);
        Optional<String> onSent = optional(n, "onSent", where);
        Optional<String> onEdited = optional(n, "onEdited", where);
        Optional<String> onDismissed = optional(n, "onDismissed", where);
        Optional<String> onOverdue = optional(n, "onOverdue", where);
        yield guard(
            at,
            () ->
                new Step.HumanTask(
                    id, task, template, owner, due, onSent, onEdited, onDismissed, onOverdue));
      }
      case "exit" -> {
        fields(where, n, Set.of("id", "type", "reason"));
        String reason = text(n, "reason", where, false);
        yield guard(at, () -> new Step.Exit(id, reason));
      }
      default ->
          throw new InvalidJourneyException(
              where
                  + ".type: unknown step type '"
                  + type
                  + "'; use send, wait, waitUntilLocalTime, waitUntilDate, waitForEvent, branch,"
                  + " updateAttribute, enrol or exit");
    };
  }

  /**
   * A segment predicate: conditions, event counts, and and/or/not over both; a part without event
   * counts is read as one {@link Condition}.
   */
  static Segment segment(JsonNode n, String at) {
    if (n == null || !n.isObject()) {
      throw new InvalidJourneyException(at + ": a segment must be an object");
    }
    if (n.has("events")) {
      fields(at, n, Set.of("events"));
      String ea = at + ".events";
      JsonNode e = n.get("events");
      fields(ea, e, Set.of("event", "within", "op", "count"));
      String event = text(e, "event", ea, true);
      Duration within = duration(e, "within", ea);
      String opName = text(e, "op", ea, true);
      Condition.Op op =
          Arrays.stream(Condition.Op.values())
              .filter(o -> o.json().equals(opName))
              .findFirst()
              .orElseThrow(
                  () ->
                      new InvalidJourneyException(
                          ea
                              + ".op: unknown operator '"
                              + opName
                              + "'; use eq, ne, lt, le, gt or ge"));
      int count = integer(e, "count", ea);
      return guard(ea, () -> new Segment.EventCount(event, within, op, count));
    }
    if (n.has("and") || n.has("or")) {
      String op = n.has("and") ? "and" : "or";
      fields(at, n, Set.of(op));
      JsonNode parts = n.get(op);
      array(parts, at + "." + op);
      List<Segment> ss = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        ss.add(segment(parts.get(i), at + "." + op + "[" + i + "]"));
      }
      if (ss.stream().noneMatch(Segment::countsEvents)) {
        return new Segment.Attributes(condition(n, at));
      }
      return guard(at, () -> op.equals("and") ? new Segment.All(ss) : new Segment.Any(ss));
    }
    if (n.has("not")) {
      fields(at, n, Set.of("not"));
      Segment part = segment(n.get("not"), at + ".not");
      if (!part.countsEvents()) {
        return new Segment.Attributes(condition(n, at));
      }
      return guard(at, () -> new Segment.Not(part));
    }
    return new Segment.Attributes(condition(n, at));
  }

  static Condition condition(JsonNode n, String at) {
    if (n == null || !n.isObject()) {
      throw new InvalidJourneyException(at + ": a condition must be an object");
    }
    if (n.has("and") || n.has("or")) {
      String op = n.has("and") ? "and" : "or";
      fields(at, n, Set.of(op));
      JsonNode parts = n.get(op);
      array(parts, at + "." + op);
      List<Condition> cs = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        cs.add(condition(parts.get(i), at + "." + op + "[" + i + "]"));
      }
      return guard(at, () -> op.equals("and") ? new Condition.And(cs) : new Condition.Or(cs));
    }
    if (n.has("not")) {
      fields(at, n, Set.of("not"));
      return new Condition.Not(condition(n.get("not"), at + ".not"));
    }
    fields(at, n, Set.of("attribute", "op", "value"));
    String attribute = text(n, "attribute", at, true);
    String opName = text(n, "op", at, true);
    Condition.Op op =
        Arrays.stream(Condition.Op.values())
            .filter(o -> o.json().equals(opName))
            .findFirst()
            .orElseThrow(
                () ->
                    new InvalidJourneyException(
                        at
                            + ".op: unknown operator '"
                            + opName
                            + "'; use eq, ne, lt, le, gt, ge, exists or missing"));
    JsonNode v = n.get("value");
    if (v != null && !(v.isTextual() || v.isNumber() || v.isBoolean())) {
      throw new InvalidJourneyException(at + ".value: must be a string, number or boolean");
    }
    String value = v == null ? null : v.asText();
    return guard(at, () -> new Condition.Compare(attribute, op, value));
  }

  // ---------------------------------------------------------------- primitives

  /** Runs a constructor, prefixing its refusal with the path it was read from. */
  private static <T> T guard(String at, java.util.function.Supplier<T> make) {
    try {
      return make.get();
    } catch (InvalidJourneyException e) {
      throw new InvalidJourneyException(at + ": " + e.getMessage(), e);
    }
  }

  private static void fields(String at, JsonNode n, Set<String> allowed) {
    if (n == null || !n.isObject()) {
      throw new InvalidJourneyException(at + ": must be an object");
    }
    Iterator<String> names = n.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidJourneyException(
            at + ": unknown field '" + name + "'; allowed: " + new TreeSet<>(allowed));
      }
    }
  }

  private static void array(JsonNode n, String at) {
    if (n == null || !n.isArray()) {
      throw new InvalidJourneyException(at + ": must be an array");
    }
  }

  private static JsonNode need(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidJourneyException(at + ": '" + field + "' is missing");
    }
    return v;
  }

  private static String text(JsonNode n, String field, String at, boolean required) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw new InvalidJourneyException(at + ": '" + field + "' is missing");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidJourneyException(at + ": '" + field + "' must be a string, was " + v);
    }
    return v.asText();
  }

  private static Optional<String> optional(JsonNode n, String field, String at) {
    return Optional.ofNullable(text(n, field, at, false));
  }

  private static int integer(JsonNode n, String field, String at) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
      throw new InvalidJourneyException(at + ": '" + field + "' must be an integer");
    }
    return v.asInt();
  }

  private static Duration duration(JsonNode n, String field, String at) {
    String s = text(n, field, at, true);
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidJourneyException(
          at + "." + field + ": '" + s + "' is not an ISO-8601 duration such as P2D or PT12H");
    }
  }

  private static LocalTime time(JsonNode n, String at, boolean required) {
    String s = text(n, "time", at, required);
    if (s == null) {
      return null;
    }
    try {
      return LocalTime.parse(s);
    } catch (DateTimeParseException e) {
      throw new InvalidJourneyException(at + ".time: '" + s + "' is not a time such as 09:00");
    }
  }

  private static <E extends Enum<E>> E constant(
      Class<E> type, JsonNode n, String field, String at, boolean required) {
    String s = text(n, field, at, required);
    if (s == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, s.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidJourneyException(
          at
              + "."
              + field
              + ": '"
              + s
              + "' is not one of "
              + Arrays.toString(type.getEnumConstants()));
    }
  }
}
