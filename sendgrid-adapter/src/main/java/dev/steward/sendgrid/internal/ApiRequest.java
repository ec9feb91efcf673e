package dev.steward.sendgrid.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One call to SendGrid's v3 API through {@link ApiClient}.
 *
 * @param operation what the call does, for messages ("create subuser"): never an address or key
 * @param method the HTTP method
 * @param segments the path's segments after the host ({@code v3}, {@code subusers}, a name), each
 *     encoded by the client
 * @param query query parameters in order
 * @param onBehalfOf the subuser the parent key acts for, set on this request's headers alone
 * @param body the JSON body, if any
 * @param idempotent true when sending it twice does no more than once (GET, PUT, PATCH, DELETE,
 *     adding to a list): a 5xx or a failure after the request was written is then retried
 */
public record ApiRequest(
    String operation,
    String method,
    List<String> segments,
    Map<String, String> query,
    Optional<String> onBehalfOf,
    Optional<JsonNode> body,
    boolean idempotent) {

  /** Checks the parts and copies the collections. */
  public ApiRequest {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(method, "method");
    segments = List.copyOf(segments);
    query = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(query));
    Objects.requireNonNull(onBehalfOf, "onBehalfOf");
    Objects.requireNonNull(body, "body");
  }

  /** A GET (idempotent). */
  public static ApiRequest get(
      String operation, Optional<String> onBehalfOf, Map<String, String> query, String... path) {
    return new ApiRequest(
        operation, "GET", List.of(path), query, onBehalfOf, Optional.empty(), true);
  }

  /** A request without a body (a POST that acts, a DELETE). */
  public static ApiRequest withoutBody(
      String operation,
      String method,
      Optional<String> onBehalfOf,
      boolean idempotent,
      String... path) {
    return new ApiRequest(
        operation, method, List.of(path), Map.of(), onBehalfOf, Optional.empty(), idempotent);
  }

  /** A request with a JSON body. */
  public static ApiRequest withBody(
      String operation,
      String method,
      Optional<String> onBehalfOf,
      JsonNode body,
      boolean idempotent,
      String... path) {
    return new ApiRequest(
        operation, method, List.of(path), Map.of(), onBehalfOf, Optional.of(body), idempotent);
  }

  /** The path as a template for messages: {@code /v3/subusers/{..}} names no subuser or address. */
  public String describe() {
    return operation
        + " ("
        + method
        + " /"
        + String.join("/", segments.subList(0, Math.min(2, segments.size())))
        + (segments.size() > 2 ? "/..." : "")
        + ")";
  }
}
