package dev.steward.frequency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.StrictJson;
import dev.steward.model.Channel;
import dev.steward.model.MessageKind;
import dev.steward.model.Priority;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes {@link CapPolicy} JSON through Jackson's tree model, by hand, so that unknown
 * fields and values are refused with the path of the field (a data-binding mapper would need
 * annotations on the public types).
 */
final class PolicyJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Set<String> POLICY_FIELDS =
      Set.of(
          "caps",
          "coolDowns",
          "quietHours",
          "sendWindow",
          "maxConcurrentJourneys",
          "exemptKinds",
          "exemptAtOrAbove",
          "zone",
          "defaultZone");
  private static final Set<String> CAP_FIELDS =
      Set.of(
          "id",
          "scope",
          "max",
          "window",
          "perCategory",
          "kinds",
          "categories",
          "channels",
          "teams");
  private static final Set<String> COOL_DOWN_FIELDS =
      Set.of("id", "activity", "length", "scope", "kinds", "categories", "channels", "teams");

  private PolicyJson() {}

  static String write(CapPolicy p) {
    ObjectNode root = NODES.objectNode();
    ArrayNode caps = root.putArray("caps");
    for (Cap c : p.caps()) {
      ObjectNode n = caps.addObject();
      if (!c.hasDerivedId()) {
        n.put("id", c.id());
      }
      n.put("scope", c.scope().name());
      n.put("max", c.max());
      n.put("window", c.window().label());
      if (c.perCategory()) {
        n.put("perCategory", true);
      }
      writeFilter(n, c.filter());
    }
    ArrayNode coolDowns = root.putArray("coolDowns");
    for (CoolDown c : p.coolDowns()) {
      ObjectNode n = coolDowns.addObject();
      if (!c.hasDerivedId()) {
        n.put("id", c.id());
      }
      n.put("activity", c.activity());
      n.put("length", c.length().toString());
      n.put("scope", c.scope().name());
      writeFilter(n, c.filter());
    }
    p.quietHours()
        .ifPresent(
            q -> {
              ObjectNode n = root.putObject("quietHours");
              n.put("start", q.start().toString());
              n.put("end", q.end().toString());
            });
    p.sendWindow()
        .ifPresent(
            w -> {
              ObjectNode n = root.putObject("sendWindow");
              ArrayNode days = n.putArray("days");
              w.days().forEach(d -> days.add(d.name()));
              n.put("from", w.from().toString());
              n.put("to", w.to().toString());
            });
    p.maxConcurrentJourneys().ifPresent(m -> root.put("maxConcurrentJourneys", m));
    ArrayNode exempt = root.putArray("exemptKinds");
    p.exemptKinds().forEach(k -> exempt.add(k.name()));
    p.exemptAtOrAbove().ifPresent(x -> root.put("exemptAtOrAbove", x.name()));
    p.zone().ifPresent(z -> root.put("zone", z.getId()));
    p.defaultZone().ifPresent(z -> root.put("defaultZone", z.getId()));
    return root.toString();
  }

  private static void writeFilter(ObjectNode n, MessageFilter f) {
    writeNames(n, "kinds", f.kinds().stream().map(Enum::name).toList());
    writeNames(n, "categories", f.categories());
    writeNames(n, "channels", f.channels().stream().map(Enum::name).toList());
    writeNames(n, "teams", f.teams());
  }

  private static void writeNames(ObjectNode n, String field, Collection<String> names) {
    if (!names.isEmpty()) {
      ArrayNode a = n.putArray(field);
      names.forEach(a::add);
    }
  }

  static CapPolicy read(String json) {
    if (json == null || json.isBlank()) {
      throw new InvalidPolicyException("policy JSON is empty");
    }
    JsonNode root = StrictJson.read(json, "policy", InvalidPolicyException::new);
    ObjectNode obj = object(root, "policy");
    checkFields(obj, POLICY_FIELDS, "");
    CapPolicy.Builder b = CapPolicy.builder();
    List<JsonNode> caps = array(obj.get("caps"), "caps");
    for (int i = 0; i < caps.size(); i++) {
      String path = "caps[" + i + "]";
      try {
        b.cap(readCap(object(caps.get(i), path), path));
      } catch (InvalidPolicyException e) {
        throw prefixed(path, e);
      }
    }
    List<JsonNode> coolDowns = array(obj.get("coolDowns"), "coolDowns");
    for (int i = 0; i < coolDowns.size(); i++) {
      String path = "coolDowns[" + i + "]";
      try {
        b.coolDown(readCoolDown(object(coolDowns.get(i), path), path));
      } catch (InvalidPolicyException e) {
        throw prefixed(path, e);
      }
    }
    JsonNode quiet = obj.get("quietHours");
    if (quiet != null && !quiet.isNull()) {
      ObjectNode q = object(quiet, "quietHours");
      checkFields(q, Set.of("start", "end"), "quietHours.");
      b.quietHours(time(q, "start", "quietHours"), time(q, "end", "quietHours"));
    }
    JsonNode window = obj.get("sendWindow");
    if (window != null && !window.isNull()) {
      ObjectNode w = object(window, "sendWindow");
      checkFields(w, Set.of("days", "from", "to"), "sendWindow.");
      Set<DayOfWeek> days = new LinkedHashSet<>();
      for (String d : names(w.get("days"), "sendWindow.days")) {
        days.add(enumValue(DayOfWeek.class, d, "sendWindow.days"));
      }
      b.sendWindow(days, time(w, "from", "sendWindow"), time(w, "to", "sendWindow"));
    }
    JsonNode journeys = obj.get("maxConcurrentJourneys");
    if (journeys != null && !journeys.isNull()) {
      b.maxConcurrentJourneys(integer(journeys, "maxConcurrentJourneys"));
    }
    JsonNode exempt = obj.get("exemptKinds");
    if (exempt != null && !exempt.isNull()) {
      List<MessageKind> kinds = new ArrayList<>();
      for (String k : names(exempt, "exemptKinds")) {
        kinds.add(enumValue(MessageKind.class, k, "exemptKinds"));
      }
      b.exemptKinds(kinds);
    }
    JsonNode priority = obj.get("exemptAtOrAbove");
    if (priority != null && !priority.isNull()) {
      b.exemptAtOrAbove(
          enumValue(Priority.class, text(priority, "exemptAtOrAbove"), "exemptAtOrAbove"));
    }
    b.zone(zone(obj, "zone"));
    b.defaultZone(zone(obj, "defaultZone"));
    return b.build();
  }

  /** The zone in {@code field}, or null when absent. */
  private static ZoneId zone(ObjectNode obj, String field) {
    JsonNode zone = obj.get(field);
    if (zone == null || zone.isNull()) {
      return null;
    }
    String z = text(zone, field);
    try {
      return ZoneId.of(z);
    } catch (DateTimeException e) {
      throw new InvalidPolicyException(field + ": unknown time zone '" + z + "'", e);
    }
  }

  private static Cap readCap(ObjectNode n, String path) {
    checkFields(n, CAP_FIELDS, path + ".");
    String id = optionalText(n, "id", path);
    CapScope scope = enumValue(CapScope.class, required(n, "scope", path), path + ".scope");
    JsonNode maxNode = n.get("max");
    if (maxNode == null) {
      throw new InvalidPolicyException(path + ".max: is missing");
    }
    int max = integer(maxNode, path + ".max");
    Window window = Window.parse(required(n, "window", path), path + ".window");
    JsonNode per = n.get("perCategory");
    boolean perCategory = false;
    if (per != null && !per.isNull()) {
      if (!per.isBoolean()) {
        throw new InvalidPolicyException(path + ".perCategory: must be true or false");
      }
      perCategory = per.booleanValue();
    }
    return new Cap(id, scope, max, window, readFilter(n, path), perCategory);
  }

  private static CoolDown readCoolDown(ObjectNode n, String path) {
    checkFields(n, COOL_DOWN_FIELDS, path + ".");
    String id = optionalText(n, "id", path);
    String activity = required(n, "activity", path);
    String lengthText = required(n, "length", path);
    Duration length;
    try {
      length = Duration.parse(lengthText);
    } catch (DateTimeParseException e) {
      throw new InvalidPolicyException(
          path + ".length: '" + lengthText + "' is not an ISO duration such as PT48H", e);
    }
    CapScope scope = enumValue(CapScope.class, required(n, "scope", path), path + ".scope");
    return new CoolDown(id, activity, length, scope, readFilter(n, path));
  }

  private static MessageFilter readFilter(ObjectNode n, String path) {
    Set<MessageKind> kinds = new LinkedHashSet<>();
    for (String k : names(n.get("kinds"), path + ".kinds")) {
      kinds.add(enumValue(MessageKind.class, k, path + ".kinds"));
    }
    Set<Channel> channels = new LinkedHashSet<>();
    for (String c : names(n.get("channels"), path + ".channels")) {
      channels.add(enumValue(Channel.class, c, path + ".channels"));
    }
    Set<String> categories = new LinkedHashSet<>(names(n.get("categories"), path + ".categories"));
    Set<String> teams = new LinkedHashSet<>(names(n.get("teams"), path + ".teams"));
    return new MessageFilter(kinds, categories, channels, teams);
  }

  private static InvalidPolicyException prefixed(String path, InvalidPolicyException e) {
    return e.getMessage().startsWith(path)
        ? e
        : new InvalidPolicyException(path + ": " + e.getMessage(), e);
  }

  private static ObjectNode object(JsonNode n, String path) {
    if (!(n instanceof ObjectNode o)) {
      throw new InvalidPolicyException(path + ": must be a JSON object");
    }
    return o;
  }

  private static List<JsonNode> array(JsonNode n, String path) {
    List<JsonNode> out = new ArrayList<>();
    if (n == null || n.isNull()) {
      return out;
    }
    if (!n.isArray()) {
      throw new InvalidPolicyException(path + ": must be a JSON array");
    }
    n.forEach(out::add);
    return out;
  }

  private static List<String> names(JsonNode n, String path) {
    List<String> out = new ArrayList<>();
    for (JsonNode e : array(n, path)) {
      out.add(text(e, path));
    }
    return out;
  }

  private static void checkFields(ObjectNode n, Set<String> known, String prefix) {
    Iterator<String> it = n.fieldNames();
    while (it.hasNext()) {
      String f = it.next();
      if (!known.contains(f)) {
        throw new InvalidPolicyException(prefix + f + ": unknown field");
      }
    }
  }

  private static String text(JsonNode n, String path) {
    if (n == null || !n.isTextual()) {
      throw new InvalidPolicyException(path + ": must be a string");
    }
    return n.textValue();
  }

  private static String required(ObjectNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new InvalidPolicyException(path + "." + field + ": is missing");
    }
    return text(v, path + "." + field);
  }

  private static String optionalText(ObjectNode n, String field, String path) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : text(v, path + "." + field);
  }

  private static int integer(JsonNode n, String path) {
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new InvalidPolicyException(path + ": must be an integer, was " + n);
    }
    return n.intValue();
  }

  private static LocalTime time(ObjectNode n, String field, String path) {
    String t = required(n, field, path);
    try {
      return LocalTime.parse(t);
    } catch (DateTimeParseException e) {
      throw new InvalidPolicyException(
          path + "." + field + ": '" + t + "' is not a local time such as 21:00", e);
    }
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String name, String path) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      throw new InvalidPolicyException(
          path + ": unknown " + type.getSimpleName() + " '" + name + "'", e);
    }
  }
}
