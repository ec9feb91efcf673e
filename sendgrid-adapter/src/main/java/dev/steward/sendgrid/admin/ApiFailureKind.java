package dev.steward.sendgrid.admin;

/** Why a call to SendGrid's account API failed, and whether trying again later may help. */
public enum ApiFailureKind {
  /** 400: SendGrid refused the request; see the field errors. */
  BAD_REQUEST(false),
  /** 401: the parent key is wrong or revoked. */
  AUTHENTICATION(false),
  /** 403: the key lacks the scope, or the account may not do this. */
  FORBIDDEN(false),
  /** 404: what the call names does not exist. */
  NOT_FOUND(false),
  /** 429 after the allowed wait or tries: try again at the rate limit's reset. */
  RATE_LIMITED(true),
  /** 5xx after the allowed tries. */
  SERVER_ERROR(true),
  /** A failure before the request was written (connect refused, DNS, TLS) after the tries. */
  NETWORK(true),
  /**
   * A failure after a request that is not safe to repeat was written (a create): SendGrid may have
   * acted on it. Look before trying again.
   */
  AMBIGUOUS(false),
  /** Another HTTP status, or a 2xx whose body is not what SendGrid documents. */
  UNEXPECTED_ANSWER(false);

  private final boolean retryable;

  ApiFailureKind(boolean retryable) {
    this.retryable = retryable;
  }

  /** True when trying again later may succeed. */
  public boolean retryable() {
    return retryable;
  }
}
