package dev.steward.sendgrid.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steward.sendgrid.mail.FieldError;
import java.io.IOException;
import java.time.DateTimeException;
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

  /** {@code X-RateLimit-Reset} (epoch seconds) as an instant; empty when missing or unreadable. */
  public static Optional<Instant> rateLimitReset(String header) {
    if (header == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochSecond(Long.parseLong(header.trim())));
    } catch (NumberFormatException | DateTimeException e) {
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
