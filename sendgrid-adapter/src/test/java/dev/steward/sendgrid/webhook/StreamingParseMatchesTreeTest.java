package dev.steward.sendgrid.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.model.EmailEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * SendGridEvents reads events from the token stream; {@link TreeSendGridEvents} is the tree-based
 * parser it replaced. For a corpus of strange events, and for random byte mutations of real ones,
 * both must give the same events (attributes in the same order), the same counters, or the same
 * exception with the same message.
 */
class StreamingParseMatchesTreeTest {

  /** What one parse gave: the events and counters, or the exception. */
  private record Outcome(
      List<EmailEvent> events,
      List<List<Map.Entry<String, String>>> attributeOrder,
      long unknown,
      long foreign,
      long invalid,
      String failure) {}

  private static Outcome outcome(
      Function<byte[], List<EmailEvent>> parse, long[] counters, byte[] body) {
    try {
      List<EmailEvent> events = parse.apply(body);
      List<List<Map.Entry<String, String>>> order = new ArrayList<>();
      for (EmailEvent e : events) {
        order.add(List.copyOf(e.attributes().entrySet()));
      }
      return new Outcome(events, order, counters[0], counters[1], counters[2], null);
    } catch (RuntimeException e) {
      return new Outcome(null, null, 0, 0, 0, e.getClass().getName() + ": " + e.getMessage());
    }
  }

  private static Outcome streaming(byte[] body) {
    SendGridEvents p = SendGridEvents.of();
    long[] c = new long[3];
    return outcome(
        b -> {
          List<EmailEvent> r = p.parse(b);
          c[0] = p.unknownEventTypes();
          c[1] = p.foreignCategories();
          c[2] = p.invalidAddresses();
          return r;
        },
        c,
        body);
  }

  private static Outcome tree(byte[] body) {
    TreeSendGridEvents p = TreeSendGridEvents.of();
    long[] c = new long[3];
    return outcome(
        b -> {
          List<EmailEvent> r = p.parse(b);
          c[0] = p.unknownEventTypes();
          c[1] = p.foreignCategories();
          c[2] = p.invalidAddresses();
          return r;
        },
        c,
        body);
  }

  private static void same(byte[] body, String what) {
    assertThat(streaming(body)).as(what).isEqualTo(tree(body));
  }

  private static final List<String> FIELDS =
      List.of(
          "sg_event_id",
          "event",
          "email",
          "timestamp",
          "category",
          "reason",
          "type",
          "status",
          "url",
          "sg_message_id",
          "asm_group_id",
          "steward_message_id",
          "steward_tenant",
          "steward_account",
          "steward_contact",
          "steward_pool",
          "steward_journey_step",
          "useragent",
          "pool");

  private static final String LONG = "x".repeat(2_500);

  /** JSON values, as they appear in a body. */
  private static final List<String> VALUES =
      List.of(
          "\"plain\"",
          "\"\"",
          "\"   \"",
          "\"caf\\u00e9 \\\"q\\\" \\\\ \\n\"",
          "\"\\ud83d\\ude00 emoji\"",
          "\"\u00e9\u4e2d\uD83D\uDE00 raw\"",
          "\"" + LONG + "\"",
          "\"" + "\u00e9".repeat(1_999) + "\uD83D\uDE00\"",
          "\"1513299569\"",
          "\"newsletter\"",
          "\"cat facts\"",
          "\"open\"",
          "\"bounce\"",
          "\"made_up\"",
          "\"a@example.com\"",
          "\"not an address\"",
          "0",
          "-0",
          "-1",
          "1513299569",
          "2147483648",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "31556889864403200",
          "123456789012345678901234567890",
          "1.5",
          "1.0",
          "1e3",
          "-2.5E-3",
          "1e400",
          "0.1000000000000000055511151231257827",
          "true",
          "false",
          "null",
          "{}",
          "{\"a\":1,\"b\":[1,\"x\",{\"c\":null}]}",
          "[]",
          "[\"newsletter\"]",
          "[\"cat facts\",\"newsletter\"]",
          "[1,\"x\"]",
          "[null]",
          "[[\"x\"]]",
          "[{}]",
          "[\"x\",{\"a\":[1,2,{\"b\":\"\\u0041\"}]}]");

  private static String base() {
    return object(baseFields());
  }

  private static String object(Map<String, String> fields) {
    StringBuilder b = new StringBuilder("{");
    fields.forEach(
        (k, v) ->
            b.append(b.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
    return b.append('}').toString();
  }

  private static Map<String, String> baseFields() {
    Map<String, String> f = new LinkedHashMap<>();
    String[] parts = {
      "sg_event_id", "\"ev-1\"",
      "event", "\"bounce\"",
      "email", "\"a@example.com\"",
      "timestamp", "1513299569",
      "category", "\"newsletter\"",
      "reason", "\"550 no\"",
      "type", "\"blocked\"",
      "status", "\"5.0.0\"",
      "url", "\"http://x\"",
      "sg_message_id", "\"sg-1\"",
      "asm_group_id", "10",
      "steward_message_id", "\"m-1\"",
      "steward_tenant", "\"acme\"",
      "steward_account", "\"acct-1\"",
      "steward_contact", "\"c-1\"",
      "steward_pool", "\"shared-standard\"",
      "steward_journey_step", "\"onboarding/2/day-3\""
    };
    for (int i = 0; i < parts.length; i += 2) {
      f.put(parts[i], parts[i + 1]);
    }
    return f;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theBaseEventIsAccepted() {
    // the corpus below varies an event both parsers accept, with every field Steward reads
    Outcome o = streaming(bytes("[" + base() + "]"));
    assertThat(o.failure()).isNull();
    // six SendGrid fields, the pool and the journey step
    assertThat(o.events()).singleElement().satisfies(e -> assertThat(e.attributes()).hasSize(8));
    same(bytes("[" + base() + "]"), "base");
  }

  @Test
  void everyFieldWithEveryKindOfValueGivesWhatTheTreeGave() {
    int cases = 0;
    for (String field : FIELDS) {
      for (String value : VALUES) {
        Map<String, String> f = baseFields();
        f.put(field, value);
        String event = object(f);
        // alone, after a good event, and before one with a syntax error (which must not win
        // over this event's own refusal)
        same(bytes("[" + event + "]"), field + "=" + value);
        same(
            bytes("[" + base() + "," + event + ",{\"a\":tru}]"), field + "=" + value + " then bad");
        // the field first rather than in its usual place
        Map<String, String> first = new LinkedHashMap<>();
        first.put(field, value);
        baseFields().forEach(first::putIfAbsent);
        same(bytes("[" + object(first) + "]"), field + "=" + value + " first");
        cases += 3;
      }
      Map<String, String> without = baseFields();
      without.remove(field);
      same(bytes("[" + object(without) + "]"), "without " + field);
    }
    assertThat(cases).isEqualTo(FIELDS.size() * VALUES.size() * 3);
  }

  @Test
  void duplicatesAndSyntaxErrorsAnywhereInAnEventWinOverItsMissingFields() {
    List<String> bodies =
        List.of(
            "[{\"event\":\"open\",\"event\":\"open\"}]",
            "[{\"x\":1,\"x\":2}]",
            "[{\"pool\":{\"a\":1,\"a\":2}}]",
            "[{\"category\":[{\"a\":1,\"a\":1}]}]",
            "[{\"category\":[\"x\",{\"a\":1,\"a\":1}]}]",
            "[{\"timestamp\":{\"a\":1,\"a\":1}}]",
            "[{\"steward_contact\":[{\"a\":1,\"a\":1}]}]",
            "[{\"reason\":{\"a\":1,\"a\":1}}]",
            "[{\"event\":\"made_up\",\"pool\":[1,2,}]",
            "[{\"event\":\"made_up\",\"sg_event_id\":\"e\"},{\"event\":\"made_up\"}]",
            "[{\"event\":\"made_up\",\"sg_event_id\":\"e\"},{\"event\":\"made_up\",\"sg_event_id\":\"f\"}]",
            "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"timestamp\":1,\"email\":\"a@example.com\"}"
                + ",{\"sg_event_id\":\"e\",\"event\":\"open\",\"timestamp\":1,\"email\":\"a@example.com\"}]",
            "[{}]",
            "[{},{}",
            "[{\"a\":1}] x",
            "[{\"a\":1}] ",
            "[{\"a\":01}]",
            "[{\"a\":NaN}]",
            "[{\"a\":'x'}]",
            "[{a:1}]",
            "[{\"a\":1,}]",
            "[{\"a\":[1,]}]",
            "[{\"a\":\"\\x\"}]",
            "[{\"a\":\"\u0001\"}]",
            "[{\"a\":1/*c*/}]",
            "[{\"a\":" + "1".repeat(1_001) + "}]",
            "[{\"a\":" + "[".repeat(1_100) + "]".repeat(1_100) + "}]",
            "[{\"" + "k".repeat(60_000) + "\":1}]",
            "[null]",
            "[\"x\"]",
            "[[]]",
            "",
            "   ",
            "{}",
            "null");
    for (String body : bodies) {
      same(bytes(body), body.length() > 80 ? body.substring(0, 80) : body);
    }
  }

  @Test
  void duplicateFieldsAreFoundWhereverTheyAreAndNamedWhereJacksonNamedThem() {
    // SendGridEvents finds duplicates itself and asks Jackson only where the first one is
    List<String> names = new ArrayList<>(FIELDS);
    for (int i = 0; i < 12; i++) {
      names.add("extra_" + i);
    }
    int refused = 0;
    for (String name : names) {
      for (String other : List.of("\"" + name + "\":\"v\"", "\"" + name + "\" : {\"a\":1}")) {
        // the duplicate after all fields, right after the first and, escaped, in the middle
        Map<String, String> f = baseFields();
        f.put(name, "\"first\"");
        for (int i = 0; i < 12; i++) {
          f.put("extra_" + i, Integer.toString(i));
        }
        String event = object(f);
        String escaped = "\"\\u00" + Integer.toHexString(name.charAt(0)) + name.substring(1) + "\"";
        List<String> bodies =
            List.of(
                "[" + event.substring(0, event.length() - 1) + "," + other + "}]",
                "[{" + other + "," + event.substring(1) + "]",
                "[" + base() + ",\n " + event.replace("\"extra_3\":3", escaped + ":3") + "]",
                "[{\"pool\":{" + other + "," + other + "}}]",
                "[{\"pool\":[1,{\"x\":{" + other + "}," + other + "}]}]",
                "[{\"category\":[\"newsletter\",{" + other + "," + other + "}]}]");
        for (String body : bodies) {
          Outcome tree = tree(bytes(body));
          if (tree.failure() != null && tree.failure().contains("well-formed")) {
            refused++;
          }
          same(bytes(body), body.length() > 120 ? body.substring(0, 120) : body);
        }
      }
    }
    assertThat(refused).isGreaterThan(names.size() * 2 * 4);
    // the same name in sibling objects, or in an object and the event, is no duplicate
    same(
        bytes(
            "[{\"sg_event_id\":\"e\",\"event\":\"open\",\"email\":\"a@example.com\","
                + "\"timestamp\":1,\"pool\":{\"email\":1,\"id\":{\"id\":2}},\"ip\":[{\"a\":1},"
                + "{\"a\":1}],\"id\":3}]"),
        "no duplicate");
    // an earlier event's own refusal comes first, as it did
    same(bytes("[{\"event\":\"open\"},{\"a\":1,\"a\":1}]"), "refusal then duplicate");
    same(bytes("[{\"event\":\"nope\",\"sg_event_id\":\"e\"},{\"a\":1,\"a\":1}]"), "skip then dup");
  }

  @Test
  void invalidUtf8AnywhereIsRefusedAsTheTreeRefusedIt() throws Exception {
    int[][] sequences = {
      {0xC3}, {0xC3, 0x28}, {0xE2, 0x82}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
      {0xF0, 0x90, 0x28, 0xBC}, {0xF8, 0x88, 0x80, 0x80}, {0x80}, {0xFF}, {0xC0, 0x80},
      {0xF4, 0x90, 0x80, 0x80}, {0xE0, 0x80, 0x80}, {0xF0, 0x9F, 0x98, 0x80}
    };
    for (String field : FIELDS) {
      for (int[] seq : sequences) {
        for (String shape :
            List.of("\"a%sb\"", "[\"a%sb\"]", "[\"x\",\"a%sb\"]", "{\"k\":\"a%sb\"}")) {
          Map<String, String> f = baseFields();
          f.put(field, "@@");
          String[] around = object(f).split("@@");
          String[] inner = shape.split("%s");
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          out.write(bytes("[" + around[0] + inner[0]));
          for (int b : seq) {
            out.write(b);
          }
          out.write(bytes(inner[1] + around[1] + "]"));
          same(out.toByteArray(), field + " " + shape + " " + java.util.Arrays.toString(seq));
        }
      }
    }
  }

  @Test
  void aStringOverJacksonsLengthLimitInAFieldNotReadIsStillRefused() {
    // the tree made a String of every value, and Jackson refuses one over 20,000,000 chars
    String body = "[{\"useragent\":\"" + "a".repeat(20_000_001) + "\"}]";
    Outcome o = streaming(bytes(body));
    assertThat(o.failure()).contains("the webhook body is not well-formed JSON");
    assertThat(o).isEqualTo(tree(bytes(body)));
  }

  @Test
  void randomMutationsOfRealEventsGiveWhatTheTreeGave() {
    byte[] sample = SendGridEventsTest.sample();
    byte[] alphabet = bytes("{}[]\":,0123456789-.eE \\\"nulltruefalsexyz\u00e9");
    Random random = new Random(20_261_127L);
    int accepted = 0;
    for (int i = 0; i < 4_000; i++) {
      byte[] body = sample.clone();
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        body[random.nextInt(body.length)] =
            random.nextInt(4) == 0
                ? (byte) random.nextInt(256)
                : alphabet[random.nextInt(alphabet.length)];
      }
      Outcome tree = tree(body);
      assertThat(streaming(body)).as("mutation %d", i).isEqualTo(tree);
      if (tree.failure() == null) {
        accepted++;
      }
    }
    // the mutations reach both accepted and refused batches
    assertThat(accepted).isBetween(100, 3_900);
  }

  @Test
  void randomEventsBuiltFromTheCorpusGiveWhatTheTreeGave() {
    Random random = new Random(7L);
    for (int i = 0; i < 3_000; i++) {
      StringBuilder body = new StringBuilder("[");
      int events = 1 + random.nextInt(3);
      for (int e = 0; e < events; e++) {
        Map<String, String> f = baseFields();
        for (int k = random.nextInt(4); k > 0; k--) {
          String field = FIELDS.get(random.nextInt(FIELDS.size()));
          if (random.nextInt(5) == 0) {
            f.remove(field);
          } else {
            f.put(field, VALUES.get(random.nextInt(VALUES.size())));
          }
        }
        body.append(e > 0 ? "," : "").append(object(f));
      }
      same(bytes(body.append(']').toString()), body.toString());
    }
  }
}
