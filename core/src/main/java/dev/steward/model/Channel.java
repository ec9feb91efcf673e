package dev.steward.model;

/** How a communication reaches a contact. */
public enum Channel {
  EMAIL,
  IN_APP,
  SMS,
  CALL,
  WEBINAR
}
