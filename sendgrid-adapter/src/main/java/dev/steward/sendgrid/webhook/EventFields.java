package dev.steward.sendgrid.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of one webhook event that {@link SendGridEvents} reads, taken straight from the token
 * stream: no tree per event. A value is held as a slot with the meaning the {@code JsonNode} the
 * parser used to build had: {@code null} when the field is absent, a {@code String} for a JSON
 * string, else a {@link NonText} (JSON null, a container, or a number or boolean with the text
 * {@code JsonNode.asText()} gave it).
 *
 * <p>Every value is read to its end, strings decoded, so that the parser refuses exactly what
 * reading the event into a tree refused: a string with a malformed UTF-8 sequence or over Jackson's
 * length limit, a duplicate field at any depth, bad syntax anywhere in the event. Nothing about the
 * event is judged until it has been read whole, so such an error wins over a missing field as it
 * did.
 */
final class EventFields {
  /** A value that is not a JSON string. */
  static final class NonText {
    final String text;

    NonText(String text) {
      this.text = text;
    }
  }

  /** JSON null: {@code isNull()}. */
  static final NonText NULL = new NonText("null");

  /** An object or array: not a value node, and its {@code asText()} is empty. */
  static final NonText CONTAINER = new NonText("");

  private static final NonText TRUE = new NonText("true");
  private static final NonText FALSE = new NonText("false");

  /** The timestamp is absent. */
  static final int TS_ABSENT = 0;

  /** The timestamp is JSON null. */
  static final int TS_NULL = 1;

  /** The timestamp is not an integer a {@code long} holds. */
  static final int TS_BAD = 2;

  /** The timestamp is {@link #timestamp}. */
  static final int TS_OK = 3;

  /** A category that is present but neither a string nor an array whose first is a string. */
  static final Object CATEGORY_NOT_TEXT = new Object();

  Object eventId;
  Object event;
  Object email;
  int timestampState = TS_ABSENT;
  long timestamp;

  /** null (absent, null or an empty array), a String, or {@link #CATEGORY_NOT_TEXT}. */
  Object category;

  Object messageId;
  Object tenant;
  Object account;
  Object contact;

  /**
   * In the order of {@link SendGridEvents#ATTRIBUTES}, then the pool and journey step custom args.
   */
  final Object[] attributes = new Object[8];

  private EventFields() {}

  /**
   * Reads one event; the parser is on its {@code START_OBJECT} and is left on its {@code
   * END_OBJECT}.
   */
  static EventFields read(JsonParser p, ObjectMapper mapper) throws IOException {
    EventFields f = new EventFields();
    long seen = 0;
    Names others = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      int field = field(name);
      if (field >= 0) {
        if ((seen & (1L << field)) != 0) {
          throw DuplicateFieldException.INSTANCE;
        }
        seen |= 1L << field;
      } else {
        if (others == null) {
          others = new Names();
        }
        others.add(name);
      }
      JsonToken t = p.nextToken();
      switch (field) {
        case 0 -> f.eventId = value(p, t, mapper);
        case 1 -> f.event = value(p, t, mapper);
        case 2 -> f.email = value(p, t, mapper);
        case 3 -> f.timestamp(p, t);
        case 4 -> f.category = category(p, t);
        case 5 -> f.messageId = value(p, t, mapper);
        case 6 -> f.tenant = value(p, t, mapper);
        case 7 -> f.account = value(p, t, mapper);
        case 8 -> f.contact = value(p, t, mapper);
        case 9, 10, 11, 12, 13, 14, 15, 16 -> f.attributes[field - 9] = value(p, t, mapper);
        default -> skip(p, t);
      }
    }
    return f;
  }

  /**
   * The field's number, -1 for a field not read; 9 to 14 in the order of ATTRIBUTES, 15 and 16 the
   * pool and journey step custom args.
   */
  private static int field(String name) {
    return switch (name) {
      case "sg_event_id" -> 0;
      case "event" -> 1;
      case "email" -> 2;
      case "timestamp" -> 3;
      case "category" -> 4;
      case SendGridEvents.MESSAGE_ID_ARG -> 5;
      case SendGridEvents.TENANT_ARG -> 6;
      case SendGridEvents.ACCOUNT_ARG -> 7;
      case SendGridEvents.CONTACT_ARG -> 8;
      case "reason" -> 9;
      case "type" -> 10;
      case "status" -> 11;
      case "url" -> 12;
      case "sg_message_id" -> 13;
      case "asm_group_id" -> 14;
      case SendGridEvents.POOL_ARG -> 15;
      case SendGridEvents.JOURNEY_STEP_ARG -> 16;
      default -> -1;
    };
  }

  /**
   * A duplicate field name somewhere in the body. The parser runs without Jackson's duplicate
   * detection (a hash set per object, a tenth of the parse): the caller finds Jackson's exact
   * error, and its location, by reading the body again with it on.
   */
  static final class DuplicateFieldException extends IOException {
    private static final long serialVersionUID = 1L;
    static final DuplicateFieldException INSTANCE = new DuplicateFieldException();

    private DuplicateFieldException() {
      super("duplicate field");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this; // one shared instance, thrown as a signal: no stack to keep
    }
  }

  /** The names seen in one object: a short list, a hash set once it is long. */
  private static final class Names {
    private static final int LIST = 8;
    private final String[] list = new String[LIST];
    private int size;
    private Set<String> set;

    void add(String name) throws DuplicateFieldException {
      if (set != null) {
        if (!set.add(name)) {
          throw DuplicateFieldException.INSTANCE;
        }
        return;
      }
      for (int i = 0; i < size; i++) {
        if (list[i].equals(name)) {
          throw DuplicateFieldException.INSTANCE;
        }
      }
      if (size < LIST) {
        list[size++] = name;
        return;
      }
      set = new HashSet<>(Arrays.asList(list));
      set.add(name);
    }
  }

  /** Whether the slot is absent or JSON null ({@code node == null || node.isNull()}). */
  static boolean absentOrNull(Object slot) {
    return slot == null || slot == NULL;
  }

  /** The slot's {@code asText()}; the slot is present. */
  static String text(Object slot) {
    return slot instanceof String s ? s : ((NonText) slot).text;
  }

  /** Whether a present slot is a value node other than null (kept as an attribute). */
  static boolean keptAsAttribute(Object slot) {
    return slot != null && slot != NULL && slot != CONTAINER;
  }

  private static Object value(JsonParser p, JsonToken t, ObjectMapper mapper) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NULL:
        return NULL;
      case VALUE_TRUE:
        return TRUE;
      case VALUE_FALSE:
        return FALSE;
      case VALUE_NUMBER_INT:
        JsonParser.NumberType n = p.getNumberType();
        if (n == JsonParser.NumberType.INT) {
          return new NonText(Integer.toString(p.getIntValue()));
        }
        if (n == JsonParser.NumberType.LONG) {
          return new NonText(Long.toString(p.getLongValue()));
        }
        return new NonText(mapper.<JsonNode>readTree(p).asText());
      case VALUE_NUMBER_FLOAT:
        // rare: the text the tree's number node gives, whatever it is
        return new NonText(mapper.<JsonNode>readTree(p).asText());
      default:
        skip(p, t);
        return CONTAINER;
    }
  }

  private void timestamp(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      timestampState = TS_NULL;
    } else if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType n = p.getNumberType();
      if (n == JsonParser.NumberType.INT || n == JsonParser.NumberType.LONG) {
        timestamp = p.getLongValue();
        timestampState = TS_OK;
      } else {
        BigInteger big = p.getBigIntegerValue();
        if (big.bitLength() < Long.SIZE) {
          timestamp = big.longValue();
          timestampState = TS_OK;
        } else {
          timestampState = TS_BAD;
        }
      }
    } else {
      skip(p, t);
      timestampState = TS_BAD;
    }
  }

  private static Object category(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case VALUE_STRING:
        return p.getText();
      case VALUE_NULL:
        return null;
      case START_ARRAY:
        JsonToken first = p.nextToken();
        if (first == JsonToken.END_ARRAY) {
          return null;
        }
        Object category;
        if (first == JsonToken.VALUE_STRING) {
          category = p.getText();
        } else {
          skip(p, first);
          category = CATEGORY_NOT_TEXT;
        }
        for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
          skip(p, e);
        }
        return category;
      default:
        skip(p, t);
        return CATEGORY_NOT_TEXT;
    }
  }

  /**
   * Reads past a value not kept, decoding its strings as the tree did: skipping a string does not
   * check its UTF-8 (an encoded surrogate passes) nor Jackson's string length limit, and of the
   * calls that decode without making a String, only {@code getTextCharacters} checks that limit
   * exactly as {@code getText} does ({@code getTextLength} lets 20,000,001 chars through).
   */
  private static void skip(JsonParser p, JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_STRING) {
      p.getTextCharacters();
      return;
    }
    if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
      return;
    }
    // the names of each open object, null for an open array
    ArrayDeque<Optional<Names>> open = new ArrayDeque<>();
    open.push(t == JsonToken.START_OBJECT ? Optional.of(new Names()) : Optional.empty());
    while (!open.isEmpty()) {
      JsonToken n = p.nextToken();
      if (n == JsonToken.START_OBJECT) {
        open.push(Optional.of(new Names()));
      } else if (n == JsonToken.START_ARRAY) {
        open.push(Optional.empty());
      } else if (n == JsonToken.END_OBJECT || n == JsonToken.END_ARRAY) {
        open.pop();
      } else if (n == JsonToken.FIELD_NAME) {
        open.peek().orElseThrow().add(p.currentName());
      } else if (n == JsonToken.VALUE_STRING) {
        p.getTextCharacters();
      } else if (n == null) {
        // not reached: the parser reports the end of input inside a value itself
        throw new IOException("unexpected end of input");
      }
    }
  }
}
