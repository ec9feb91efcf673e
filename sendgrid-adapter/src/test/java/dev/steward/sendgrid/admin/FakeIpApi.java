package dev.steward.sendgrid.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steward.sendgrid.oai.OpenApiSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * SendGrid's IP API over MockWebServer with state, answering as its OpenAPI files show: pools by
 * name with their IPs, the account's IPs (reverse DNS, warm-up, subusers), warm-up, subusers' IPs
 * (a PUT replaces the list). A second create of a pool and a second add of an IP are refused with
 * 400 as SendGrid does. Every request is checked against the file its path belongs to; answers can
 * be replaced per "METHOD path" for the next requests ({@link #failNext}).
 */
final class FakeIpApi extends Dispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final OpenApiSpec IPS = OpenApiSpec.of("tsg_ips_v3.json");
  static final OpenApiSpec WARMUP = OpenApiSpec.of("tsg_ip_warmup_v3.json");
  static final OpenApiSpec SUBUSERS = OpenApiSpec.of("tsg_subusers_v3.json");
  static final OpenApiSpec RDNS = OpenApiSpec.of("tsg_reverse_dns_v3.json");

  /** One reverse DNS set-up ({@code /v3/whitelabel/ips}). */
  static final class Rdns {
    long id;
    String ip;
    String domain;
    String subdomain;
    boolean valid;

    /** Whether the A record is published: what a validation finds. */
    boolean published;
  }

  /** The reverse DNS set-ups by id. */
  final Map<Long, Rdns> rdnsRecords = new TreeMap<>();

  /** One IP of the account. */
  static final class Ip {
    String rdns;
    boolean whitelabeled;
    boolean warmup;
    Long startDate;
    final Set<String> subusers = new LinkedHashSet<>();
  }

  final Map<String, Set<String>> pools = new TreeMap<>();
  final Map<String, Ip> ips = new LinkedHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();

  /** Each request's "METHOD path" and body, in order. */
  final List<String> bodies = new CopyOnWriteArrayList<>();

  private final Map<String, Deque<MockResponse>> next = new LinkedHashMap<>();

  /** An IP with validated reverse DNS {@code rdns}. */
  synchronized FakeIpApi readyIp(String ip, String rdns) {
    Ip i = new Ip();
    i.rdns = rdns;
    i.whitelabeled = true;
    ips.put(ip, i);
    return this;
  }

  synchronized FakeIpApi pool(String name, String... members) {
    pools.put(name, new LinkedHashSet<>(List.of(members)));
    return this;
  }

  /** The next request of {@code "METHOD /path"} is answered with {@code response}, once. */
  synchronized FakeIpApi failNext(String request, MockResponse response) {
    next.computeIfAbsent(request, k -> new ArrayDeque<>()).add(response);
    return this;
  }

  /** How many requests of {@code "METHOD /path"} were made. */
  long count(String request) {
    return requests.stream().filter(request::equals).count();
  }

  static OpenApiSpec specOf(String path) {
    if (path.startsWith("/v3/ips/warmup")) {
      return WARMUP;
    }
    if (path.startsWith("/v3/subusers")) {
      return SUBUSERS;
    }
    if (path.startsWith("/v3/whitelabel/ips")) {
      return RDNS;
    }
    return IPS;
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest r) {
    HttpUrl u = r.getRequestUrl();
    String path = u.encodedPath();
    String key = r.getMethod() + " " + path;
    requests.add(key);
    bodies.add(key + " " + r.getBody().clone().readUtf8());
    problems.addAll(specOf(path).problems(r));
    Deque<MockResponse> q = next.get(key);
    if (q != null && !q.isEmpty()) {
      return q.poll();
    }
    List<String> seg = u.pathSegments();
    JsonNode body = body(r);
    String method = r.getMethod();
    if (seg.size() >= 3 && seg.get(1).equals("whitelabel") && seg.get(2).equals("ips")) {
      return reverseDns(method, seg, u, body);
    }
    if (seg.size() == 3 && seg.get(2).equals("pools")) {
      if (method.equals("GET")) {
        ArrayNode a = JSON.createArrayNode();
        pools.keySet().forEach(n -> a.addObject().put("name", n));
        return ok(a);
      }
      String name = body.path("name").asText();
      if (pools.containsKey(name)) {
        return error(400, "name", "ip pool with this name already exists");
      }
      pools.put(name, new LinkedHashSet<>());
      return ok(JSON.createObjectNode().put("name", name));
    }
    if (seg.size() >= 4 && seg.get(2).equals("pools")) {
      Set<String> pool = pools.get(seg.get(3));
      if (pool == null) {
        return error(404, null, "Unable to locate specified IPs Pool");
      }
      if (seg.size() == 4) {
        ObjectNode o = JSON.createObjectNode().put("pool_name", seg.get(3));
        ArrayNode a = o.putArray("ips");
        pool.forEach(a::add);
        return ok(o);
      }
      if (seg.size() == 5 && method.equals("POST")) {
        String ip = body.path("ip").asText();
        if (!ips.containsKey(ip)) {
          return error(404, null, "resource not found");
        }
        if (!pool.add(ip)) {
          return error(400, "ip", "ip already in pool");
        }
        return new MockResponse()
            .setResponseCode(201)
            .setBody(
                "{\"ip\":\""
                    + ip
                    + "\",\"pools\":[\""
                    + seg.get(3)
                    + "\"],\"start_date\":1409616000,\"warmup\":false}");
      }
      if (seg.size() == 6 && method.equals("DELETE")) {
        return pool.remove(seg.get(5))
            ? new MockResponse().setResponseCode(204)
            : new MockResponse()
                .setResponseCode(404)
                .setBody("{\"error\":\"Unable to locate specified IPs Pool\"}");
      }
    }
    if (seg.size() == 2 && seg.get(1).equals("ips") && method.equals("GET")) {
      int limit = Integer.parseInt(u.queryParameter("limit"));
      int offset = Integer.parseInt(u.queryParameter("offset"));
      ArrayNode a = JSON.createArrayNode();
      new ArrayList<>(ips.keySet())
          .stream().skip(offset).limit(limit).forEach(ip -> a.add(ipJson(ip)));
      return ok(a);
    }
    if (seg.size() == 3 && seg.get(2).equals("warmup") && method.equals("POST")) {
      Ip ip = ips.get(body.path("ip").asText());
      if (ip == null) {
        return error(404, null, "resource not found");
      }
      if (ip.warmup) {
        return error(400, "ip", "ip is already in warmup");
      }
      ip.warmup = true;
      ip.startDate = AdminFixtures.NOW.getEpochSecond();
      return ok(warmupJson(body.path("ip").asText(), ip));
    }
    if (seg.size() == 4 && seg.get(2).equals("warmup")) {
      Ip ip = ips.get(seg.get(3));
      if (ip == null || !ip.warmup) {
        return error(404, null, "resource not found");
      }
      if (method.equals("DELETE")) {
        ip.warmup = false;
        return new MockResponse().setResponseCode(204);
      }
      return ok(warmupJson(seg.get(3), ip));
    }
    if (seg.size() == 3 && seg.get(1).equals("ips") && method.equals("GET")) {
      if (!ips.containsKey(seg.get(2))) {
        return error(404, null, "resource not found");
      }
      return ok(ipJson(seg.get(2)));
    }
    if (seg.size() == 4 && seg.get(1).equals("subusers") && method.equals("PUT")) {
      String subuser = seg.get(2);
      List<String> wanted = new ArrayList<>();
      body.forEach(n -> wanted.add(n.asText()));
      for (String ip : wanted) {
        if (!ips.containsKey(ip)) {
          return error(400, "ips", "invalid ip");
        }
      }
      ips.forEach(
          (ip, i) -> {
            if (wanted.contains(ip)) {
              i.subusers.add(subuser);
            } else {
              i.subusers.remove(subuser);
            }
          });
      ObjectNode o = JSON.createObjectNode();
      ArrayNode a = o.putArray("ips");
      wanted.forEach(a::add);
      return ok(o);
    }
    return error(404, null, "no such endpoint in the fake: " + key);
  }

  private MockResponse reverseDns(String method, List<String> seg, HttpUrl u, JsonNode body) {
    if (seg.size() == 3 && method.equals("POST")) {
      Rdns d = new Rdns();
      d.id = 100 + rdnsRecords.size();
      d.ip = body.path("ip").asText();
      d.domain = body.path("domain").asText();
      d.subdomain = body.path("subdomain").asText("em");
      if (!ips.containsKey(d.ip)) {
        return error(400, "ip", "ip not found");
      }
      rdnsRecords.put(d.id, d);
      return new MockResponse().setResponseCode(201).setBody(rdnsJson(d).toString());
    }
    if (seg.size() == 3 && method.equals("GET")) {
      String prefix = u.queryParameter("ip");
      int limit = Integer.parseInt(u.queryParameter("limit"));
      int offset = Integer.parseInt(u.queryParameter("offset"));
      ArrayNode a = JSON.createArrayNode();
      rdnsRecords.values().stream()
          .filter(d -> prefix == null || d.ip.startsWith(prefix))
          .skip(offset)
          .limit(limit)
          .forEach(d -> a.add(rdnsJson(d)));
      return ok(a);
    }
    Rdns d = rdnsRecords.get(Long.parseLong(seg.get(3)));
    if (d == null) {
      return error(404, null, "Reverse DNS record not found.");
    }
    if (seg.size() == 4 && method.equals("GET")) {
      return ok(rdnsJson(d));
    }
    if (seg.size() == 5 && method.equals("POST")) {
      d.valid = d.published;
      Ip ip = ips.get(d.ip);
      ip.rdns = rdnsHost(d);
      ip.whitelabeled = d.valid;
      ObjectNode o = JSON.createObjectNode().put("id", d.id).put("valid", d.valid);
      ObjectNode a = o.putObject("validation_results").putObject("a_record");
      a.put("valid", d.valid);
      if (d.valid) {
        a.putNull("reason");
      } else {
        a.put("reason", "Failed to resolve A Record at " + rdnsHost(d) + ": no such host");
      }
      return ok(o);
    }
    return error(404, null, "no such endpoint in the fake");
  }

  private static String rdnsHost(Rdns d) {
    return "o" + d.id + "." + d.subdomain + "." + d.domain;
  }

  private static ObjectNode rdnsJson(Rdns d) {
    ObjectNode o =
        JSON.createObjectNode()
            .put("id", d.id)
            .put("ip", d.ip)
            .put("rdns", rdnsHost(d))
            .put("subdomain", d.subdomain)
            .put("domain", d.domain)
            .put("valid", d.valid)
            .put("legacy", false);
    o.putArray("users");
    o.putObject("a_record")
        .put("valid", d.valid)
        .put("type", "a")
        .put("host", rdnsHost(d))
        .put("data", d.ip);
    return o;
  }

  /** An IP the account has, its reverse DNS not set up. */
  synchronized FakeIpApi bareIp(String ip) {
    ips.put(ip, new Ip());
    return this;
  }

  /** The subusers that may send from {@code ip}. */
  synchronized Set<String> subusersOf(String ip) {
    return Set.copyOf(ips.get(ip).subusers);
  }

  private ObjectNode ipJson(String ip) {
    Ip i = ips.get(ip);
    ObjectNode o = JSON.createObjectNode().put("ip", ip);
    ArrayNode subs = o.putArray("subusers");
    i.subusers.forEach(subs::add);
    if (i.rdns != null) {
      o.put("rdns", i.rdns);
    }
    ArrayNode ps = o.putArray("pools");
    pools.forEach(
        (name, members) -> {
          if (members.contains(ip)) {
            ps.add(name);
          }
        });
    o.put("warmup", i.warmup);
    if (i.startDate == null) {
      o.putNull("start_date");
    } else {
      o.put("start_date", i.startDate);
    }
    o.put("whitelabeled", i.whitelabeled);
    o.put("assigned_at", 1482883200);
    return o;
  }

  private static ArrayNode warmupJson(String ip, Ip i) {
    ArrayNode a = JSON.createArrayNode();
    a.addObject().put("ip", ip).put("start_date", i.startDate);
    return a;
  }

  private static JsonNode body(RecordedRequest r) {
    String text = r.getBody().clone().readUtf8();
    try {
      return text.isEmpty() ? JSON.createObjectNode() : JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MockResponse ok(JsonNode body) {
    return new MockResponse().setResponseCode(200).setBody(body.toString());
  }

  static MockResponse error(int status, String field, String message) {
    ObjectNode o = JSON.createObjectNode();
    ObjectNode e = o.putArray("errors").addObject();
    if (field == null) {
      e.putNull("field");
    } else {
      e.put("field", field);
    }
    e.put("message", message);
    return new MockResponse().setResponseCode(status).setBody(o.toString());
  }
}
