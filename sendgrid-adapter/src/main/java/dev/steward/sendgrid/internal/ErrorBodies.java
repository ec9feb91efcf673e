package dev.steward.sendgrid.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.sendgrid.mail.FieldError;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import okhttp3.Response;

/** SendGrid's error answers: the {@code errors} body and the rate limit's reset header. */
public final class ErrorBodies {
  /** The longest error body read from SendGrid. */
  public static final int MAX_ERROR_BODY = 64 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ErrorBodies() {}

  /** The answer's body, at most {@link #MAX_ERROR_BODY} bytes of it; empty when unreadable. */
  public static String errorBody(Response response) {
    try {
      return response.peekBody(MAX_ERROR_BODY).string();
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * SendGrid's {@code {"errors":[{"message","field","help"}]}} (at most 50, each part cut to 500
   * characters); empty when unreadable.
   */
  public static List<FieldError> fieldErrors(String body) {
    if (body == null || body.isBlank()) {
      return List.of();
    }
    try {
      JsonNode errors = MAPPER.readTree(body).path("errors");
      List<FieldError> out = new ArrayList<>();
      for (JsonNode e : errors) {
        String message = e.path("message").asText("");
        if (message.isEmpty()) {
          continue;
        }
        out.add(new FieldError(cut(message), text(e.path("field")), text(e.path("help"))));
        if (out.size() == 50) {
          break;
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /** The furthest ahead of now an {@code X-RateLimit-Reset} is believed. */
  public static final Duration MAX_RESET_AHEAD = Duration.ofDays(1);

  /**
   * {@code X-RateLimit-Reset} (epoch seconds) as an instant; empty when missing, unreadable, or
   * more than {@link #MAX_RESET_AHEAD} after {@code now}: SendGrid's limits reset within a minute,
   * so such a value is not epoch seconds (milliseconds, a proxy's own header), and believing it
   * would defer a message beyond what any store can hold. The caller then backs off as after any
   * other failure.
   */
  public static Optional<Instant> rateLimitReset(String header, Instant now) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.trim();
    if (h.isEmpty() || h.length() > 18 || !h.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    try {
      Instant reset = Instant.ofEpochSecond(Long.parseLong(h));
      return reset.isAfter(now.plus(MAX_RESET_AHEAD)) ? Optional.empty() : Optional.of(reset);
    } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode node) {
    return Optional.of(node)
        .filter(JsonNode::isTextual)
        .map(JsonNode::asText)
        .map(ErrorBodies::cut);
  }

  private static String cut(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }
}
