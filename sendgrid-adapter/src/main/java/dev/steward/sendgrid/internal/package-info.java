/**
 * The adapter's shared HTTP pieces (not exported): the OkHttp client settings, the listener that
 * tells an ambiguous failure from one before the request was written, SendGrid's error body and
 * rate-limit header, the one way to read an API key for the {@code Authorization} header, and the
 * P-256 ECDSA verifier behind the Event Webhook's signature check ({@code P256Verifier}).
 */
package dev.steward.sendgrid.internal;
