package dev.steward.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.internal.json.MessageJson;
import dev.steward.model.Message;
import dev.steward.model.MessageId;
import dev.steward.schedule.WorkItem;
import dev.steward.schedule.WorkKey;
import dev.steward.schedule.WorkType;
import java.time.Instant;
import java.util.Optional;

/**
 * A deferred message as due work on the engine: kind {@value #KIND}, keyed by the message's tenant
 * and id, its subject the contact (so erasure and opt-outs cancel it). The same item also waits for
 * an unknown outcome to be settled ({@code unsettledSince} set), so a message is always exactly one
 * item, whatever stage it is in. {@code slot} is true when a gate that {@linkplain Gate#holdsSlots
 * holds slots} deferred it: it then waits in the contact's queue for that slot (see {@link
 * LookAhead}). Payloads written before the field was added read as not waiting for a slot.
 */
record DeferredWork(DeferredMessage deferred, Instant unsettledSince, boolean slot) {
  static final String KIND = "steward.deferred-message";
  static final int VERSION = 1;
  static final WorkType<DeferredWork> TYPE =
      WorkType.of(KIND, VERSION, DeferredWork::encode, DeferredWork::decode);

  static WorkKey key(Message m) {
    return WorkKey.of(m.tenant(), KIND, m.id().value());
  }

  WorkItem item() {
    Message m = deferred.message();
    return WorkItem.builder(key(m))
        .subject(m.contact().value())
        .payload(encode())
        .payloadVersion(VERSION)
        .dueAt(deferred.dueAt())
        .priority(m.priority().ordinal())
        .build();
  }

  String encode() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.set("message", MessageJson.parse(MessageJson.write(deferred.message()), "message"));
    n.put("dueAt", deferred.dueAt().toString());
    n.put("attempts", deferred.attempts());
    n.put("transportFailures", deferred.transportFailures());
    n.put("reason", deferred.reason());
    if (unsettledSince != null) {
      n.put("unsettledSince", unsettledSince.toString());
    }
    if (slot) {
      n.put("slot", true);
    }
    deferred.displacedBy().ifPresent(by -> n.put("displacedBy", by.value()));
    return MessageJson.toString(n);
  }

  static DeferredWork decode(String json, int version) {
    if (version != VERSION) {
      throw new IllegalArgumentException("unknown deferred-message payload version " + version);
    }
    JsonNode n = MessageJson.parse(json, "deferred message");
    Message m = MessageJson.read(MessageJson.toString(n.get("message")));
    DeferredMessage d =
        new DeferredMessage(
            m,
            Instant.parse(n.get("dueAt").asText()),
            n.get("attempts").asInt(),
            n.get("reason").asText(),
            n.get("transportFailures").asInt(),
            Optional.ofNullable(MessageJson.text(n, "displacedBy")).map(MessageId::of));
    String since = MessageJson.text(n, "unsettledSince");
    return new DeferredWork(
        d, since == null ? null : Instant.parse(since), n.path("slot").asBoolean(false));
  }
}
