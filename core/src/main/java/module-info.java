/**
 * Steward's core: the send pipeline, consent, frequency caps, the communication calendar, health
 * scores, durable due work and their stores (in memory and JDBC). Only API packages are exported;
 * {@code dev.steward.internal} is not.
 */
module dev.steward.core {
  requires transitive java.sql;
  requires java.naming;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;

  exports dev.steward;
  exports dev.steward.calendar;
  exports dev.steward.consent;
  exports dev.steward.delivery;
  exports dev.steward.frequency;
  exports dev.steward.governance;
  exports dev.steward.health;
  exports dev.steward.ippool;
  exports dev.steward.journey;
  exports dev.steward.jdbc;
  exports dev.steward.model;
  exports dev.steward.onboarding;
  exports dev.steward.schedule;
  exports dev.steward.testing;
}
