package dev.steward.sendgrid.suppression;

import dev.steward.sendgrid.oai.OpenApiSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * SendGrid's suppression endpoints over MockWebServer: each list's entries (JSON objects with a
 * {@code created} time) served by window and page as SendGrid does, the group unsubscribes, adds
 * recorded; every request checked against tsg_suppressions_v3.json; failures injected per path and
 * offset.
 */
final class FakeSendGrid extends Dispatcher {
  static final OpenApiSpec SPEC = OpenApiSpec.of("tsg_suppressions_v3.json");

  final Map<String, List<String>> lists = new HashMap<>();
  final List<String> groupUnsubscribes = new ArrayList<>();
  final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();

  /** "path?offset" (or a path for a POST) to the statuses to answer first, in order. */
  final Map<String, List<Integer>> failures = new HashMap<>();

  /** Adds an entry {@code {"created":..,"email":..[,"status":..]}} to a list. */
  FakeSendGrid entry(String list, long created, String email, String status) {
    lists
        .computeIfAbsent(list, k -> new ArrayList<>())
        .add(
            "{\"created\":"
                + created
                + ",\"email\":\""
                + email
                + "\""
                + (status == null ? "" : ",\"status\":\"" + status + "\"")
                + "}");
    return this;
  }

  FakeSendGrid group(long created, String email, int groupId) {
    groupUnsubscribes.add(
        "{\"email\":\""
            + email
            + "\",\"group_id\":"
            + groupId
            + ",\"group_name\":\"g\",\"created_at\":"
            + created
            + "}");
    return this;
  }

  FakeSendGrid failOnce(String key, int status) {
    failures.computeIfAbsent(key, k -> new ArrayList<>()).add(status);
    return this;
  }

  /** The offsets requested of a list, in order. */
  List<Integer> offsets(String list) {
    List<Integer> out = new ArrayList<>();
    for (RecordedRequest r : requests) {
      HttpUrl u = r.getRequestUrl();
      if (u.encodedPath().equals("/v3/suppression/" + list)) {
        out.add(Integer.parseInt(u.queryParameter("offset")));
      }
    }
    return out;
  }

  @Override
  public synchronized MockResponse dispatch(RecordedRequest r) {
    requests.add(r);
    problems.addAll(SPEC.problems(r));
    HttpUrl u = r.getRequestUrl();
    String path = u.encodedPath();
    String key =
        "GET".equals(r.getMethod()) && u.queryParameter("offset") != null
            ? path + "?" + u.queryParameter("offset")
            : path;
    List<Integer> fail = failures.get(key);
    if (fail != null && !fail.isEmpty()) {
      return new MockResponse().setResponseCode(fail.remove(0));
    }
    if ("POST".equals(r.getMethod())) {
      return new MockResponse().setResponseCode(201).setBody("{\"recipient_emails\":[]}");
    }
    if (path.equals("/v3/asm/suppressions")) {
      return new MockResponse().setBody("[" + String.join(",", groupUnsubscribes) + "]");
    }
    String list = path.substring("/v3/suppression/".length());
    long start = Long.parseLong(u.queryParameter("start_time"));
    long end = Long.parseLong(u.queryParameter("end_time"));
    int limit = Integer.parseInt(u.queryParameter("limit"));
    int offset = Integer.parseInt(u.queryParameter("offset"));
    List<String> in = new ArrayList<>();
    for (String e : lists.getOrDefault(list, List.of())) {
      long created = Long.parseLong(e.replaceAll(".*\"created\":(\\d+).*", "$1"));
      if (created >= start && created <= end) {
        in.add(e);
      }
    }
    List<String> page =
        in.subList(Math.min(offset, in.size()), Math.min(offset + limit, in.size()));
    return new MockResponse().setBody("[" + String.join(",", page) + "]");
  }
}
