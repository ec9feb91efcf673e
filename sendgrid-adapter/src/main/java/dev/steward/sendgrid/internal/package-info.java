/**
 * The adapter's shared HTTP pieces (not exported): the OkHttp client settings, the listener that
 * tells an ambiguous failure from one before the request was written, SendGrid's error body and
 * rate-limit header, and the one way to read an API key for the {@code Authorization} header.
 */
package dev.steward.sendgrid.internal;
